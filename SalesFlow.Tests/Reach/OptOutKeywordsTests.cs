using SalesFlow.Core.Channels;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Reach;

namespace SalesFlow.Tests.Reach;

/// <summary>The carrier keywords (whole message, any case, punctuation and whitespace ignored) and the consent they give.</summary>
public sealed class OptOutKeywordsTests
{
    [Theory]
    [InlineData("STOP", "STOP")]
    [InlineData("stop", "STOP")]
    [InlineData("  Stop!  ", "STOP")]
    [InlineData("STOP ALL", "STOPALL")]
    [InlineData("Unsubscribe.", "UNSUBSCRIBE")]
    [InlineData("cancel", "CANCEL")]
    [InlineData("End", "END")]
    [InlineData("quit", "QUIT")]
    [InlineData("REVOKE", "REVOKE")]
    [InlineData("opt-out", "OPTOUT")]
    [InlineData("Opt out", "OPTOUT")]
    [InlineData("Stopp!!!", "STOPP")]
    [InlineData("abmelden", "ABMELDEN")]
    [InlineData("Abbestellen 🙏", "ABBESTELLEN")]
    [InlineData("\"STOP\"", "STOP")]
    public void An_opt_out_keyword_as_the_whole_message_is_recognised(string text, string keyword) =>
        Assert.Equal(keyword, OptOutKeywords.OptOutIn(text));

    [Theory]
    [InlineData("stop calling me at work")]
    [InlineData("Where does the bus stop?")]
    [InlineData("the end of the month works for me")]
    [InlineData("STOPPING")]
    [InlineData("START")]
    [InlineData("")]
    public void A_sentence_or_another_word_is_not_an_opt_out_keyword(string text) =>
        Assert.Null(OptOutKeywords.OptOutIn(text));

    [Theory]
    [InlineData("START", "START")]
    [InlineData("unstop", "UNSTOP")]
    [InlineData("Yes!", "YES")]
    [InlineData("Anmelden", "ANMELDEN")]
    public void An_opt_in_keyword_as_the_whole_message_is_recognised(string text, string keyword) =>
        Assert.Equal(keyword, OptOutKeywords.OptInIn(text));

    private static Message Said(string text, string id = "m1") =>
        new() { Id = id, ClientId = "acme", LeadId = "lead", ConversationId = "c", Channel = ChannelKind.Sms, Text = text };

    [Fact]
    public void A_stop_from_someone_opted_in_is_a_change_and_a_second_stop_is_none()
    {
        var first = LeadTurnUpdater.DecideConsent(false, [Said("STOP")], intentIsOptOut: true);
        var second = LeadTurnUpdater.DecideConsent(true, [Said("stop", "m2")], intentIsOptOut: true);

        Assert.Equal((true, ConsentChange.OptedOut, "STOP", "m1"), (first.OptedOut, first.Change, first.Keyword, first.By!.Id));
        Assert.Equal((true, ConsentChange.None), (second.OptedOut, second.Change));
    }

    [Fact]
    public void Yes_opts_back_in_only_someone_who_is_opted_out()
    {
        var optedOut = LeadTurnUpdater.DecideConsent(true, [Said("Yes")], intentIsOptOut: false);
        var answering = LeadTurnUpdater.DecideConsent(false, [Said("Yes")], intentIsOptOut: false);

        Assert.Equal((false, ConsentChange.OptedIn, "YES"), (optedOut.OptedOut, optedOut.Change, optedOut.Keyword));
        Assert.Equal((false, ConsentChange.None), (answering.OptedOut, answering.Change));
    }

    [Fact]
    public void A_sentence_the_intent_rules_read_as_an_opt_out_counts_when_no_keyword_was_sent()
    {
        var decision = LeadTurnUpdater.DecideConsent(false, [Said("please stop texting me")], intentIsOptOut: true);

        Assert.Equal((true, ConsentChange.OptedOut, OptOutEntry.PhraseKeyword), (decision.OptedOut, decision.Change, decision.Keyword));
    }

    [Fact]
    public void Stop_then_start_in_one_burst_leaves_the_consent_as_it_was()
    {
        var decision = LeadTurnUpdater.DecideConsent(false, [Said("STOP"), Said("START", "m2")], intentIsOptOut: true);

        Assert.Equal((false, ConsentChange.None), (decision.OptedOut, decision.Change));
    }

    [Theory]
    [InlineData("+49 170 1234567", "+491701234567")]
    [InlineData("whatsapp:+491701234567", "+491701234567")]
    [InlineData("491701234567", "+491701234567")]
    [InlineData("Anna@Example.COM", "anna@example.com")]
    [InlineData("not an address", null)]
    public void Ledger_addresses_are_normalised_before_they_are_hashed(string address, string? normalized)
    {
        Assert.Equal(normalized, OptOutAddress.Normalize(address));
        Assert.Equal(normalized is null ? null : OptOutAddress.Hash("acme", normalized), OptOutAddress.Hash("acme", address));
        Assert.NotEqual(OptOutAddress.Hash("acme", "+491701234567"), OptOutAddress.Hash("globex", "+491701234567"));
    }
}
