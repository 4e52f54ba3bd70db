using System.Text.Json;
using SalesFlow.Functions.Apis;

namespace SalesFlow.Tests.Hosting;

/// <summary>
/// The typed response records that replaced anonymous objects keep the wire names clients read: serialized with the
/// options minimal APIs use (no app-wide JSON settings), the property names are exactly the ones the anonymous objects had.
/// </summary>
public sealed class ResponseRecordWireNamesTests
{
    private static readonly JsonSerializerOptions Http = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;

    private static readonly DateTimeOffset At = new(2026, 12, 4, 17, 0, 0, TimeSpan.Zero);

    private static List<string> Names<T>(T value) =>
        [.. JsonSerializer.SerializeToElement(value, Http).EnumerateObject().Select(p => p.Name)];

    [Fact]
    public void The_coach_advice_leaves_out_the_next_best_action_fields_a_ranked_action_carries()
    {
        var coach = new LeadAdviceDto("coach", "Call her back.");
        var action = new LeadAdviceDto("planner", "Lead asked for a human.") { Id = "rec_1", Kind = "hand_to_human", Priority = 95, DueAt = At };

        Assert.Equal(["source", "text"], Names(coach));
        Assert.Equal(["source", "text", "id", "kind", "priority", "dueAt"], Names(action));
    }

    [Fact]
    public void Recommendation_etag_and_disc_advice_do_and_dont_keep_their_lower_case_names()
    {
        var recommendation = new RecommendationDto("rec_1", "lead_1", "reply_now", "open", "planner", "r", 90, 95, 92, -2, new RecommendationFeedbackDto(1, 2), At, At, At, null, null, null, null, "\"e1\"");
        var advice = new DiscAdviceDto("lead_1", "D", 0.8, "en", "Direct", ["Be brief"], ["Ramble"], "fast");

        Assert.Equal("etag", Names(recommendation)[^1]);
        Assert.Equal(["leadId", "primary", "confidence", "language", "style", "do", "dont", "pace"], Names(advice));
    }

    [Fact]
    public void A_parked_poison_item_shows_id_payload_dequeue_count_and_last_error()
    {
        var parked = new PoisonQueueDto("process-inbound", 1, [new PoisonItemDto("m1", "{}", 5, "boom")]);

        var json = JsonSerializer.SerializeToElement(parked, Http);

        Assert.Equal(["queue", "parked", "items"], Names(parked));
        Assert.Equal(["id", "payload", "dequeueCount", "lastError"], json.GetProperty("items")[0].EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Absent_values_are_written_as_null_not_left_out()
    {
        var row = new LeadListRowDto("lead_1", null, null, null, [], null, "cold", new LeadListScoreDto(0.1, 20, "prior", At), null, false, false, At);

        var json = JsonSerializer.SerializeToElement(row, Http);

        Assert.Equal(JsonValueKind.Null, json.GetProperty("lastMessage").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("state").ValueKind);
    }
}
