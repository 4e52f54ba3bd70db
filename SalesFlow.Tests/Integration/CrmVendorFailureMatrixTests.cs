using System.Globalization;
using SalesFlow.Core.Clients;
using SalesFlow.Core.Conversations;
using SalesFlow.Core.Crm;
using SalesFlow.Tests.Crm;
using SalesFlow.Tests.Support.Vendors;

namespace SalesFlow.Tests.Integration;

/// <summary>
/// Issue 16's vendor failure matrix for HubSpot, generated over the failure kinds: each cell runs a qualified lead's
/// sync-crm message through the app's handler, the real HubSpot adapter and the embedded SQLite queue and stores
/// (<see cref="CrmTestBed"/>, its clock moved by hand) against the in-test HubSpot scripted to fail the contact create (or
/// the search that guards it) that way. A transient failure is recorded on the lead's CRM link with its reason and the
/// sync queued again no sooner than the backoff or Retry-After (capped at <see cref="CrmSyncService.MaxBackoff"/>); run
/// when due, it ends with exactly one contact, one deal and one note, also when HubSpot had acted on the call whose answer
/// was lost or unreadable. A permanent refusal is recorded as such and not queued again; the next sync does it once.
/// </summary>
public sealed class CrmVendorFailureMatrixTests : IAsyncLifetime
{
    private const string ContactsPath = "/crm/v3/objects/contacts";
    private CrmTestBed _bed = null!;

    public enum Failure
    {
        ServerError,
        HtmlErrorPage,
        RetryAfterSeconds,
        RetryAfterHttpDate,
        RetryAfterBeyondTheCap,
        StaysDown,
        Timeout,
        ConnectionReset,
        InvalidJsonOn2xx,
        WrongShapeOn2xx,
        HtmlSearchAnswer,
        WrongShapeSearchAnswer,
        PermanentRefusal,
    }

    public static TheoryData<Failure> Cells() => [.. Enum.GetValues<Failure>()];

    public async Task InitializeAsync()
    {
        _bed = await CrmTestBed.StartAsync(callTimeout: TimeSpan.FromSeconds(3));
        await _bed.AddClientAsync(new HubSpotConfig(CrmTestBed.Token));
    }

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    private HubSpotApiServer HubSpot => _bed.Server;

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Every_HubSpot_failure_is_retried_after_its_backoff_or_parked_and_ends_with_one_contact_deal_and_note(Failure failure)
    {
        var lead = await _bed.AddLeadAsync(ConversationState.ValueProposition, 0.7);
        var now = _bed.Clock.GetUtcNow();
        if (failure is Failure.HtmlSearchAnswer or Failure.WrongShapeSearchAnswer)
        {
            // The contact exists in HubSpot, but its id never reached the link (a run died after the create): only the
            // search stands between the next sync and a second contact.
            HubSpot.Contacts["4242"] = new HubSpotApiServer.CrmObject("4242", new() { ["email"] = "anna.meyer@acme.example" }, [], DateTimeOffset.UtcNow);
            HubSpot.EnqueueWhen(r => r.Path == ContactsPath + "/search", failure == Failure.HtmlSearchAnswer
                ? VendorResponse.HtmlPage(200)
                : new VendorResponse(200, """{"total":1,"items":[{"id":"4242"}]}"""));
        }
        else
        {
            HubSpot.EnqueueWhen(r => r.Method == "POST" && r.Path == ContactsPath, Script(failure, now));
        }

        await _bed.HandleAsync(lead);
        var failed = (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!;
        Assert.NotNull(failed.LastError);

        if (failure == Failure.PermanentRefusal)
        {
            Assert.Contains("HubSpot 400 VALIDATION_ERROR", failed.LastError, StringComparison.Ordinal);
            Assert.Equal((true, (DateTimeOffset?)null), (failed.ErrorIsPermanent, failed.NextRetryAt));
            _bed.Clock.Advance(CrmSyncService.MaxBackoff);
            Assert.Null(await _bed.ClaimAsync()); // not retried on its own
            Assert.Empty(HubSpot.Contacts.Values);

            // The next sync (the lead's next state change queues one) does it, once.
            await _bed.HandleAsync(lead);
        }
        else
        {
            Assert.False(failed.ErrorIsPermanent, failed.LastError);
            Assert.Equal(now + FirstWait(failure, now), failed.NextRetryAt);
            for (var attempt = 1; failed.LastError is not null; attempt++)
            {
                Assert.True(attempt <= 3, $"still failing after {attempt} runs: {failed.LastError}");
                _bed.Clock.Advance(failed.NextRetryAt!.Value - _bed.Clock.GetUtcNow() - TimeSpan.FromMilliseconds(1));
                Assert.Null(await _bed.ClaimAsync()); // never sooner than the backoff or Retry-After
                _bed.Clock.Advance(TimeSpan.FromMilliseconds(1));
                var retry = await _bed.ClaimAsync();
                Assert.NotNull(retry);
                await _bed.Handler.HandleAsync(retry, default);
                await _bed.Queue.CompleteAsync(retry, default);
                failed = (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!;
            }
        }

        var synced = (await _bed.Links.GetAsync(CrmTestBed.ClientId, lead.Id, default))!;
        var contact = Assert.Single(HubSpot.Contacts.Values);
        var deal = Assert.Single(HubSpot.Deals.Values);
        Assert.Single(HubSpot.Notes.Values);
        Assert.Equal((contact.Id, deal.Id, (string?)null, 0), (synced.ContactId, synced.DealId, synced.LastError, synced.Attempts));
    }

    private static VendorResponse[] Script(Failure failure, DateTimeOffset now) => failure switch
    {
        Failure.ServerError => [HubSpotApiServer.ServiceUnavailable()],
        Failure.HtmlErrorPage => [VendorResponse.HtmlPage(502)],
        Failure.RetryAfterSeconds => [HubSpotApiServer.TooManyRequests(7)],
        Failure.RetryAfterHttpDate => [TooManyRequests(RetryAfterDate(now).ToString("r", CultureInfo.InvariantCulture))],
        Failure.RetryAfterBeyondTheCap => [TooManyRequests("86400")],
        Failure.StaysDown => [HubSpotApiServer.ServiceUnavailable(), HubSpotApiServer.ServiceUnavailable(), HubSpotApiServer.ServiceUnavailable()],
        Failure.Timeout => [new VendorResponse(504, Delay: TimeSpan.FromSeconds(30)) { AfterActing = true }],
        Failure.ConnectionReset => [VendorResponse.ConnectionReset(201) with { AfterActing = true }],
        Failure.InvalidJsonOn2xx => [VendorResponse.InvalidJson(201) with { AfterActing = true }],
        Failure.WrongShapeOn2xx => [new VendorResponse(201, """{"results":[{"objectId":1}]}""") { AfterActing = true }],
        Failure.PermanentRefusal => [HubSpotApiServer.Error(400, "VALIDATION_ERROR", "Property values were not valid: [{\"isValid\":false,\"message\":\"Email address anna.meyer@acme is invalid\",\"error\":\"INVALID_EMAIL\",\"name\":\"email\"}]")],
        _ => throw new ArgumentOutOfRangeException(nameof(failure), failure, "scripted on the search"),
    };

    /// <summary>The first retry's wait: HubSpot's Retry-After (at most the longest backoff), else the first backoff.</summary>
    private static TimeSpan FirstWait(Failure failure, DateTimeOffset now) => failure switch
    {
        Failure.RetryAfterSeconds => TimeSpan.FromSeconds(7),
        Failure.RetryAfterHttpDate => RetryAfterDate(now) - now,
        Failure.RetryAfterBeyondTheCap => CrmSyncService.MaxBackoff,
        _ => CrmSyncService.Backoff(1),
    };

    /// <summary>20 s ahead of the bed's clock, at whole seconds (an HTTP-date has no fractions).</summary>
    private static DateTimeOffset RetryAfterDate(DateTimeOffset now) =>
        new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).AddSeconds(20);

    private static VendorResponse TooManyRequests(string retryAfter) =>
        HubSpotApiServer.Error(429, "RATE_LIMITS", "You have reached your ten_secondly_rolling limit.", new Dictionary<string, string> { ["Retry-After"] = retryAfter });
}
