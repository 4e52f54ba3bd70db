using SalesFlow.Core.Channels;
using SalesFlow.Core.Compliance;
using SalesFlow.Core.Delivery;

namespace SalesFlow.Tests.Compliance;

/// <summary>Every rule of the compliance filter, in English and German, and what it does to a reply.</summary>
public sealed class RulesComplianceFilterTests
{
    private const string Fallback = "Thanks for your message! What would you like to achieve?";

    private static readonly RulesComplianceFilter Filter = new();

    private static ComplianceResult Check(
        string text,
        ChannelKind channel = ChannelKind.WhatsApp,
        string purpose = OutboxPurpose.Reply,
        string leadText = "Hi, tell me more",
        string[]? knowledge = null,
        string[]? contacts = null) =>
        Filter.Check(new ComplianceInput(text, channel, purpose, leadText, knowledge ?? [], contacts ?? ["+491701234567"], Fallback, CompliancePolicy.None));

    [Fact]
    public void AnHonestReplyPassesUnchanged()
    {
        var result = Check("Happy to help, Anna! Which part of your ordering takes the most time today?");

        Assert.Equal(ComplianceVerdict.Pass, result.Verdict);
        Assert.Equal("Happy to help, Anna! Which part of your ordering takes the most time today?", result.Text);
        Assert.Empty(result.RuleIds);
    }

    [Theory]
    [InlineData("Results are guaranteed.")]
    [InlineData("It works 100% of the time.")]
    [InlineData("The trial is completely risk-free.")]
    [InlineData("Der Erfolg ist garantiert.")]
    [InlineData("Sie gehen kein Risiko ein, alles ist risikofrei.")]
    public void AGuaranteeIsRemoved(string promise)
    {
        var result = Check($"Thanks for asking about our tool. {promise} Shall we set up a short call?");

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.Equal("Thanks for asking about our tool. Shall we set up a short call?", result.Text);
        Assert.Equal(ComplianceRules.Guarantee, result.RuleIds[0]);
    }

    [Theory]
    [InlineData("The plan costs 49 € a month.")]
    [InlineData("It is only $99 per seat.")]
    [InlineData("You save 30% on your costs.")]
    [InlineData("Wir geben Ihnen 15 Prozent Rabatt.")]
    [InlineData("We can offer you a special discount.")]
    public void APriceDiscountOrPercentageNobodyWroteIsRemoved(string invented)
    {
        var result = Check($"Great question. {invented} Would you like the details by e-mail?");

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.Equal("Great question. Would you like the details by e-mail?", result.Text);
        Assert.Equal([ComplianceRules.InventedFigure], result.RuleIds);
    }

    [Fact]
    public void AFigureFromTheKnowledgeBaseMayBeQuotedInAnyFormat()
    {
        var result = Check("The Pro plan is 1.500 € per year, and annual billing gives a 10 % discount.", knowledge: ["Pro plan: 1500 EUR per year. Annual billing: 10% discount."]);

        Assert.Equal(ComplianceVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void AFigureTheLeadWroteMayBeRepeated()
    {
        var result = Check("A budget of 5,000 € works well for a first project.", leadText: "Our budget is 5000 €.");

        Assert.Equal(ComplianceVerdict.Pass, result.Verdict);
    }

    [Theory]
    [InlineData("This offer is only today.")]
    [InlineData("Act now, this is your last chance!")]
    [InlineData("Don't miss out, places are limited-time only.")]
    [InlineData("Das Angebot gilt nur heute.")]
    [InlineData("Letzte Chance, sofort zuschlagen!")]
    [InlineData("Handeln Sie sofort.")]
    public void PressureIsRemoved(string pressure)
    {
        var result = Check($"Thanks, Anna. {pressure} When would a short call suit you?");

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.Equal("Thanks, Anna. When would a short call suit you?", result.Text);
        Assert.Contains(ComplianceRules.Pressure, result.RuleIds);
    }

    /// <summary>The demo FAQ's "Sie können es sofort ausprobieren" was cut from a reply as pressure: "sofort" alone urges nobody.</summary>
    [Theory]
    [InlineData("Sie können es sofort ausprobieren: Sie betreiben es selbst.")]
    [InlineData("Ich melde mich sofort, wenn ich mehr weiß.")]
    public void ImmediacyWithoutUrgingIsNoPressure(string text) =>
        Assert.Equal(ComplianceVerdict.Pass, Check(text).Verdict);

    [Theory]
    [InlineData("You can also ask our customer jane.doe@othercompany.com about us.")]
    [InlineData("Call Jane directly on +49 171 9876543 any time.")]
    public void SomeoneElsesContactDetailsAreRemoved(string leak)
    {
        var result = Check($"Thanks for your interest in our service. {leak}");

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.Equal("Thanks for your interest in our service.", result.Text);
        Assert.Contains(ComplianceRules.ThirdPartyContact, result.RuleIds);
    }

    [Fact]
    public void TheLeadsOwnAndTheClientsPublishedContactsMayBeUsed()
    {
        var result = Check(
            "We will send it to anna@bakery.de and call you on 0170 1234567. You can also reach us at sales@acme.example.",
            leadText: "My e-mail is anna@bakery.de",
            knowledge: ["Contact: sales@acme.example"]);

        Assert.Equal(ComplianceVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void AShortFormReplyOverTheLimitIsTrimmedAtASentence()
    {
        var text = string.Join(' ', Enumerable.Repeat("We help bakeries take orders online without the hassle.", 8));

        var result = Check(text);

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.True(result.Text.Length <= 280);
        Assert.EndsWith(".", result.Text, StringComparison.Ordinal);
        Assert.Equal([ComplianceRules.Length], result.RuleIds);
    }

    [Fact]
    public void AnEmailMayBeLongerThanAShortFormMessage()
    {
        var text = string.Join(' ', Enumerable.Repeat("We help bakeries take orders online without the hassle.", 8));

        Assert.Equal(ComplianceVerdict.Pass, Check(text, ChannelKind.Email).Verdict);
    }

    [Fact]
    public void WhenNothingSafeIsLeftTheRulesReplyIsSentInstead()
    {
        var result = Check("Guaranteed 100% results! Only today: 50% off.");

        Assert.Equal(ComplianceVerdict.Blocked, result.Verdict);
        Assert.Equal(Fallback, result.Text);
        Assert.Equal([ComplianceRules.Guarantee, ComplianceRules.InventedFigure, ComplianceRules.Pressure], result.RuleIds.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void AnOptOutConfirmationIsNeverAlteredOnlyReplaced()
    {
        var confirmation = "You won't receive any more messages from us. Reply START to opt back in. This is guaranteed.";

        var result = Check(confirmation, purpose: OutboxPurpose.OptOutConfirmation);

        Assert.Equal(ComplianceVerdict.Blocked, result.Verdict);
        Assert.Equal(Fallback, result.Text);
        Assert.Contains(ComplianceRules.ProtectedWording, result.RuleIds);
    }

    [Fact]
    public void AVettedOptOutConfirmationPasses()
    {
        var result = Check("Understood — you won't receive any more messages from us. Reply START if you change your mind.", purpose: OutboxPurpose.OptOutConfirmation);

        Assert.Equal(ComplianceVerdict.Pass, result.Verdict);
    }

    [Fact]
    public void ASentenceWithHandOverWordingIsNotCutOutOfAReply()
    {
        var result = Check("Thanks for your patience. A colleague will call you, guaranteed within the hour.");

        Assert.Equal(ComplianceVerdict.Blocked, result.Verdict);
        Assert.Contains(ComplianceRules.ProtectedWording, result.RuleIds);
    }

    [Fact]
    public void ParagraphsOfAnEmailSurviveARewrite()
    {
        var result = Check("Hi Anna,\n\nThanks for your message. It is risk-free.\n\nShall we talk on Tuesday?\n\nBest regards,\nAcme", ChannelKind.Email);

        Assert.Equal(ComplianceVerdict.Rewritten, result.Verdict);
        Assert.Equal("Hi Anna,\n\nThanks for your message.\n\nShall we talk on Tuesday?\n\nBest regards,\nAcme", result.Text);
    }
}
