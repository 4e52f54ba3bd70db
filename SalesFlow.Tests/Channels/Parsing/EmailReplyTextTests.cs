using SalesFlow.Core.Channels.Parsing;

namespace SalesFlow.Tests.Channels.Parsing;

public class EmailReplyTextTests
{
    [Fact]
    public void GmailAttributionAndQuoteAreRemoved()
    {
        const string text = "Yes, Thursday at 3pm works for me.\r\n\r\nBest,\r\nTom\r\n\r\n"
            + "On Tue, Mar 4, 2025 at 9:12 AM Anna Sales <anna@client.example> wrote:\r\n"
            + "> Hi Tom,\r\n>\r\n> would Thursday suit you for a demo?\r\n";

        Assert.Equal("Yes, Thursday at 3pm works for me.\n\nBest,\nTom", EmailReplyText.StripQuoted(text));
    }

    [Fact]
    public void AttributionWrappedOverTwoLinesIsRemoved()
    {
        const string text = "Please send the price list.\n\nOn Tue, Mar 4, 2025 at 9:12 AM Anna Sales <\nanna@client.example> wrote:\n\n> Hi Tom\n";

        Assert.Equal("Please send the price list.", EmailReplyText.StripQuoted(text));
    }

    [Fact]
    public void AppleMailAttributionAndMobileTagAreRemoved()
    {
        const string text = "Sounds great, let's do it.\n\nSent from my iPhone\n\n"
            + "On 4 Mar 2025, at 09:12, Anna Sales <anna@client.example> wrote:\n\n"
            + "\ufeffHi Tom,\nwould Thursday suit you?\n";

        Assert.Equal("Sounds great, let's do it.", EmailReplyText.StripQuoted(text));
    }

    [Fact]
    public void OutlookHeaderBlockIsRemoved()
    {
        const string text = "Hi Anna,\r\n\r\nwe need 20 licences.\r\n\r\n"
            + "From: Anna Sales <anna@client.example>\r\nSent: Tuesday, March 4, 2025 9:12 AM\r\nTo: Tom <tom@lead.example>\r\n"
            + "Subject: Offer\r\n\r\nHi Tom, here is the offer.\r\n";

        Assert.Equal("Hi Anna,\n\nwe need 20 licences.", EmailReplyText.StripQuoted(text));
    }

    [Fact]
    public void OutlookSeparatorAndOriginalMessageAreRemoved()
    {
        const string separator = "Can we talk tomorrow?\n\n________________________________\nFrom: Anna Sales\nSent: Tuesday\n\nOffer inside\n";
        const string original = "Can we talk tomorrow?\n\n-----Original Message-----\nFrom: Anna Sales\nOffer inside\n";

        Assert.Equal("Can we talk tomorrow?", EmailReplyText.StripQuoted(separator));
        Assert.Equal("Can we talk tomorrow?", EmailReplyText.StripQuoted(original));
    }

    [Fact]
    public void OutlookHeaderFlattenedOnOneLineIsRemoved()
    {
        const string text = "Agreed.\n\nFrom: Anna Sales <anna@client.example> Sent: Tuesday, March 4, 2025 9:12 AM To: Tom Subject: Offer\nOld text";

        Assert.Equal("Agreed.", EmailReplyText.StripQuoted(text));
    }

    [Fact]
    public void GermanReplyIsStripped()
    {
        const string gmail = "Vielen Dank, das passt.\n\nAm Di., 4. März 2025 um 09:12 Uhr schrieb Anna Vertrieb <anna@kunde.example>:\n> Hallo Tom\n";
        const string wrapped = "Vielen Dank, das passt.\n\nAm 04.03.2025 um 09:12 schrieb Anna Vertrieb\n<anna@kunde.example>:\n> Hallo Tom\n";
        const string outlook = "Vielen Dank, das passt.\n\n-----Ursprüngliche Nachricht-----\nVon: Anna Vertrieb\nGesendet: Dienstag, 4. März 2025 09:12\nBetreff: Angebot\n";
        const string outlookHeaders = "Vielen Dank, das passt.\n\nVon: Anna Vertrieb <anna@kunde.example>\nGesendet: Dienstag, 4. März 2025 09:12\nAn: Tom\n\nHallo Tom\n";

        Assert.Equal("Vielen Dank, das passt.", EmailReplyText.StripQuoted(gmail));
        Assert.Equal("Vielen Dank, das passt.", EmailReplyText.StripQuoted(wrapped));
        Assert.Equal("Vielen Dank, das passt.", EmailReplyText.StripQuoted(outlook));
        Assert.Equal("Vielen Dank, das passt.", EmailReplyText.StripQuoted(outlookHeaders));
    }

    [Fact]
    public void SignatureAfterDashDashSpaceIsRemoved()
    {
        const string text = "What does the premium plan cost?\n\n-- \nTom Lead\nCEO, Lead GmbH\n+49 30 1234567\n";

        Assert.Equal("What does the premium plan cost?", EmailReplyText.StripQuoted(text));
    }

    [Fact]
    public void InlineQuotedLinesAreDroppedButAnswersBetweenThemKept()
    {
        const string text = "> Do you need onboarding?\nYes, for 5 people.\n> Which month?\nApril.\n";

        Assert.Equal("Yes, for 5 people.\nApril.", EmailReplyText.StripQuoted(text));
    }

    [Fact]
    public void ForwardedMessageAndOrdinaryTextAreKept()
    {
        const string forwarded = "---------- Forwarded message ---------\nFrom: Ashley <a@example.com>\nDate: Mon, Oct 8, 2018 at 7:33 PM\nSubject: test\n\nthe body";
        const string plain = "On Monday we start the pilot.\nFrom: our side, two engineers will join.";

        Assert.Equal(forwarded, EmailReplyText.StripQuoted(forwarded));
        Assert.Equal(plain, EmailReplyText.StripQuoted(plain));
    }

    [Fact]
    public void OnlyQuotedHistoryLeavesNothing()
    {
        Assert.Equal(string.Empty, EmailReplyText.StripQuoted("On Tue, 4 Mar 2025, Anna <a@b.c> wrote:\n> hi\n"));
        Assert.Equal(string.Empty, EmailReplyText.StripQuoted("  \r\n "));
    }
}
