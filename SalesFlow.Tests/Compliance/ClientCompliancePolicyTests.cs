using SalesFlow.Core.Channels;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Tests.Compliance;

/// <summary>The client's own rules (config <c>compliance</c>): banned phrases and the AI disclosure on a conversation's first message.</summary>
public sealed class ClientCompliancePolicyTests
{
    private const string Fallback = "Thanks for your message! What would you like to achieve?";
    private const string Disclosure = "I'm Acme's AI assistant.";

    private static readonly RulesComplianceFilter Filter = new();

    private static readonly ClientConfig Config = new(Compliance: new ComplianceConfig(["cheap", "Konkurrenz", "best-in-class"], Disclosure));

    private static ComplianceResult Check(string text, bool firstMessage = false, string purpose = OutboxPurpose.Reply, ChannelKind channel = ChannelKind.WhatsApp) =>
        Filter.Check(new ComplianceInput(text, channel, purpose, "Hi", [], [], Fallback, CompliancePolicy.For(Config, firstMessage)));

    [Fact]
    public void A_sentence_with_a_banned_phrase_is_removed_and_the_rest_is_sent()
    {
        var result = Check("Our plan is not cheap at all. It saves your team two hours a day, would a call help?");

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.Equal("It saves your team two hours a day, would a call help?", result.Text);
        Assert.Equal([ComplianceRules.BannedPhrase], result.RuleIds);
    }

    [Theory]
    [InlineData("Unlike the KONKURRENZ we answer within a day. Shall we talk on Monday?")]
    [InlineData("We are best-in-class for scheduling. Shall we talk on Monday?")]
    public void Banned_phrases_match_whatever_the_case_and_with_their_own_punctuation(string text)
    {
        var result = Check(text);

        Assert.Contains(ComplianceRules.BannedPhrase, result.RuleIds);
        Assert.Equal("Shall we talk on Monday?", result.Text);
    }

    [Fact]
    public void A_banned_word_inside_another_word_is_not_a_match()
    {
        var result = Check("The cheapest way to start is the trial from our price list. Would that help?");

        Assert.Equal(ComplianceVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void Nothing_left_after_the_banned_sentences_sends_the_vetted_fallback()
    {
        var result = Check("Cheap and cheerful!");

        Assert.Equal(ComplianceVerdict.Blocked, result.Verdict);
        Assert.Equal(Fallback, result.Text);
    }

    [Fact]
    public void The_first_message_of_a_conversation_starts_with_the_disclosure()
    {
        var result = Check("Happy to help! What would you like to achieve?", firstMessage: true);

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.Equal(Disclosure + "\nHappy to help! What would you like to achieve?", result.Text);
        Assert.Equal([ComplianceRules.AiDisclosure], result.RuleIds);
    }

    [Fact]
    public void Later_messages_and_texts_that_already_disclose_are_left_alone()
    {
        Assert.Equal(ComplianceVerdict.Pass, Check("Happy to help! What would you like to achieve?").Verdict);
        Assert.Equal(ComplianceVerdict.Pass, Check("Hi, i'm acme's ai assistant. What would you like to achieve?", firstMessage: true).Verdict);
    }

    [Fact]
    public void Opt_out_wording_goes_out_verbatim_without_the_disclosure()
    {
        var result = Check("You will get no more messages from us.", firstMessage: true, purpose: OutboxPurpose.OptOutConfirmation);

        Assert.Equal(ComplianceVerdict.Pass, result.Verdict);
        Assert.Equal("You will get no more messages from us.", result.Text);
    }

    [Fact]
    public void The_disclosure_and_the_reply_together_fit_the_channel()
    {
        var longReply = string.Join(' ', Enumerable.Repeat("Our scheduling saves your team time every week.", 40));

        var result = Check(longReply, firstMessage: true, channel: ChannelKind.Sms);

        Assert.StartsWith(Disclosure + "\n", result.Text, StringComparison.Ordinal);
        Assert.True(result.Text.Length <= Core.Brain.Rules.ReplyText.ShortFormLimit, $"{result.Text.Length} characters");
        Assert.Contains(ComplianceRules.Length, result.RuleIds);
    }

    [Fact]
    public void A_blocked_first_message_sends_the_fallback_with_the_disclosure()
    {
        var result = Check("Cheap!", firstMessage: true);

        Assert.Equal(ComplianceVerdict.Blocked, result.Verdict);
        Assert.Equal(Disclosure + "\n" + Fallback, result.Text);
    }

    [Fact]
    public void A_client_without_compliance_config_has_no_rules_of_its_own()
    {
        var policy = CompliancePolicy.For(new ClientConfig(), firstMessage: true);

        Assert.Empty(policy.BannedPhrases);
        Assert.Null(policy.Disclosure);
    }
}
