using System.Text;
using SalesFlow.Core.Channels;
using SalesFlow.Core.Channels.Parsing;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Delivery;
using SalesFlow.Core.FollowUps;
using SalesFlow.Tests.Support;

namespace SalesFlow.Tests.Delivery;

/// <summary>An e-mail SalesFlow writes to a lead threads under the lead's last e-mail (RFC 5322 §3.6.4).</summary>
public sealed class EmailThreadingTests : IDisposable
{
    private readonly EngineTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Theory]
    [InlineData("Anfrage CRM", "Re: Anfrage CRM")]
    [InlineData("Re: Anfrage CRM", "Re: Anfrage CRM")]
    [InlineData("RE:Anfrage", "RE:Anfrage")]
    [InlineData("  Preise ", "Re: Preise")]
    [InlineData("", "Re:")]
    public void TheSubjectGetsOneRe(string subject, string expected) => Assert.Equal(expected, EmailThreading.ReplySubject(subject));

    [Fact]
    public async Task TheParserKeepsTheReferencesChainWithoutAngleBrackets()
    {
        var message = await ParseAsync("Message-ID: <c3@mail.kunde.example>\nIn-Reply-To: <b2@acme.example>\nReferences: <a1@mail.kunde.example>\n <b2@acme.example>\n");

        Assert.Equal("a1@mail.kunde.example b2@acme.example", message.Metadata![EmailThreading.ReferencesKey]);
        Assert.Equal("c3@mail.kunde.example", message.ProviderMessageId);
    }

    [Fact]
    public async Task AReplyToALeadsEmailIsThreadedUnderItAndItsFollowUpStaysInTheThread()
    {
        var meta = new Dictionary<string, string>
        {
            ["subject"] = "Anfrage CRM",
            [EmailThreading.ReferencesKey] = "a1@mail.kunde.example b2@acme.example",
            ["in_reply_to"] = "b2@acme.example",
            [EmailAuthentication.AuthenticatedKey] = "true",
        };
        var intake = await _bed.Intake.AcceptAsync(
            EngineTestBed.Acme,
            new InboundMessage(ChannelKind.Email, "c3@mail.kunde.example", "jonas@kunde.example", "Jonas Weber", "sales@acme.example", "Hallo, was kostet Ihr CRM für 5 Nutzer?", "email", _bed.Clock.GetUtcNow(), Metadata: meta),
            default);

        var reply = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!.Reply!;

        var expected = new EmailThread("Re: Anfrage CRM", "c3@mail.kunde.example", ["a1@mail.kunde.example", "b2@acme.example", "c3@mail.kunde.example"]);
        AssertThread(expected, (await _bed.Outbox.GetAsync("acme", reply.Id, default))!.Thread);

        var step = await _bed.FollowUps().RunStepAsync("acme", reply.LeadId, new FollowUpProgress(reply.Id, 0, null), reply.CreatedAt.AddHours(1), default);
        AssertThread(expected, (await _bed.Outbox.GetAsync("acme", step.OutboxId!, default))!.Thread);
    }

    [Fact]
    public async Task AnEmailWithoutMessageIdIsAnsweredWithItsSubjectButNoInReplyTo()
    {
        var message = await ParseAsync("From: Jonas <jonas@kunde.example>\n");
        var stored = new Message { Id = "m", ClientId = "acme", LeadId = "l", ConversationId = "c", Channel = ChannelKind.Email, ProviderMessageId = message.ProviderMessageId, Metadata = message.Metadata! };

        var thread = EmailThreading.ReplyTo(stored);

        Assert.Equal(("Re: Anfrage", null), (thread.Subject, thread.InReplyTo));
        Assert.Empty(thread.References);
    }

    [Fact]
    public async Task AWhatsAppReplyHasNoThread()
    {
        var intake = await _bed.Say("Hi, I am interested in your product", "wamid." + Guid.NewGuid().ToString("N"));

        var reply = (await _bed.Engine().ProcessLeadAsync("acme", intake.LeadId, default))!.Reply!;

        Assert.Null((await _bed.Outbox.GetAsync("acme", reply.Id, default))!.Thread);
    }

    private static void AssertThread(EmailThread expected, EmailThread? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal((expected.Subject, expected.InReplyTo), (actual.Subject, actual.InReplyTo));
        Assert.Equal(expected.References, actual.References);
    }

    private static Task<InboundMessage> ParseAsync(string headers)
    {
        var body = new StringBuilder();
        foreach (var (name, value) in new[] { ("from", "Jonas Weber <jonas@kunde.example>"), ("to", "sales@acme.example"), ("subject", "Anfrage"), ("text", "Was kostet es?"), ("headers", headers) })
        {
            body.Append("--b0und\r\nContent-Disposition: form-data; name=\"").Append(name).Append("\"\r\n\r\n").Append(value).Append("\r\n");
        }

        body.Append("--b0und--\r\n");
        return SendGridInboundParser.ParseAsync(new MemoryStream(Encoding.UTF8.GetBytes(body.ToString())), "multipart/form-data; boundary=b0und", CancellationToken.None);
    }
}
