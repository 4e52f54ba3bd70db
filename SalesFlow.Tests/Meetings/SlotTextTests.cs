using SalesFlow.Core.Meetings;
using static SalesFlow.Tests.Meetings.MeetingTestData;

namespace SalesFlow.Tests.Meetings;

public sealed class SlotTextTests
{
    [Fact]
    public void Two_slots_read_as_a_question_in_English_in_the_leads_zone() =>
        Assert.Equal("Tue 8 Dec 14:00 or Wed 9 Dec 10:30?", SlotText.Offer([At(8, 14), At(9, 10, 30)], Berlin, "en"));

    [Fact]
    public void Two_slots_read_as_a_question_in_German_with_German_day_and_month_names() =>
        Assert.Equal("Di., 8. Dez. 14:00 oder Mi., 9. Dez. 10:30?", SlotText.Offer([At(8, 14), At(9, 10, 30)], Berlin, "de"));

    [Fact]
    public void Three_slots_are_a_list_with_or_before_the_last()
    {
        Assert.Equal("Tue 8 Dec 14:00, Wed 9 Dec 10:30 or Thu 10 Dec 16:00?", SlotText.Offer(Offer, Berlin, "en"));
        Assert.Equal("Di., 8. Dez. 14:00, Mi., 9. Dez. 10:30 oder Do., 10. Dez. 16:00?", SlotText.Offer(Offer, Berlin, "DE"));
    }

    [Fact]
    public void The_same_instant_is_shown_in_another_zone_as_that_zones_wall_clock()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        Assert.Equal("Tue 8 Dec 13:00?", SlotText.Offer([At(8, 14)], london, "en"));
    }

    /// <summary>A Californian was offered "Mon 7 Dec 06:30": the US and Canada read a 12-hour clock, month first.</summary>
    [Fact]
    public void A_north_american_lead_reads_a_twelve_hour_clock_and_picks_by_it()
    {
        var newYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        Assert.Equal("Tue Dec 8 at 8:00 AM or Thu Dec 10 at 10:00 AM?", SlotText.Offer([At(8, 14), At(10, 16)], newYork, "en"));
        Assert.Equal(At(10, 16), SlotChoice.Read("Dec 10 at 10:00 AM works", [At(8, 14), At(10, 16)], false, Now, newYork).Slot);
        Assert.Equal("Di., 8. Dez. 08:00?", SlotText.Offer([At(8, 14)], newYork, "de"));
    }

    [Fact]
    public void A_language_other_than_German_is_written_in_English() =>
        Assert.Equal("Tue 8 Dec 14:00?", SlotText.Offer([At(8, 14)], Berlin, "fr"));

    [Fact]
    public void The_confirmation_names_the_time_and_the_zone_in_the_meetings_language()
    {
        var meeting = new Meeting { Id = "m", ClientId = "acme", LeadId = "l", Provider = MeetingProviders.Embedded, TimeZone = "Europe/Berlin", Language = "en", IdempotencyKey = "k", Start = At(8, 14).Start, End = At(8, 14).End, Status = MeetingStatus.Booked };

        Assert.Equal("Booked: Tue 8 Dec 14:00 (Europe/Berlin). You'll also get a confirmation by e-mail.", SlotText.Confirmation(meeting, Berlin, emailSent: true));
        Assert.Equal("Gebucht: Di., 8. Dez. 14:00 (Europe/Berlin).", SlotText.Confirmation(meeting with { Language = "de" }, Berlin, emailSent: false));
        Assert.Contains("Join: https://cal.example/v/1", SlotText.Confirmation(meeting with { Location = "https://cal.example/v/1" }, Berlin, false), StringComparison.Ordinal);
    }

    [Fact]
    public void The_offer_reply_leads_in_and_asks_about_the_real_slots()
    {
        Assert.Equal("Happy to set up a demo. Would Tue 8 Dec 14:00 or Wed 9 Dec 10:30 work? (Times in Europe/Berlin)", SlotText.OfferReply([At(8, 14), At(9, 10, 30)], Berlin, "en", MeetingWish.Demo));
        Assert.StartsWith("Gerne richte ich eine Demo ein. Passt Ihnen Di., 8. Dez. 14:00 oder Mi., 9. Dez. 10:30?", SlotText.OfferReply([At(8, 14), At(9, 10, 30)], Berlin, "de", MeetingWish.Demo), StringComparison.Ordinal);
        Assert.StartsWith("Gerne rufen wir Sie an. Passt Ihnen Di., 8. Dez. 14:00", SlotText.OfferReply([At(8, 14), At(9, 10, 30)], Berlin, "de", MeetingWish.CallBack), StringComparison.Ordinal);
        Assert.StartsWith("Happy to give you a call. Would Tue 8 Dec 14:00", SlotText.OfferReply([At(8, 14), At(9, 10, 30)], Berlin, "en", MeetingWish.CallBack), StringComparison.Ordinal);
        Assert.StartsWith("Gerne telefonieren wir. Passt Ihnen Di., 8. Dez. 14:00", SlotText.OfferReply([At(8, 14), At(9, 10, 30)], Berlin, "de", MeetingWish.Call), StringComparison.Ordinal);
        Assert.StartsWith("Happy to set up a call. Would Tue 8 Dec 14:00", SlotText.OfferReply([At(8, 14), At(9, 10, 30)], Berlin, "en", MeetingWish.Call), StringComparison.Ordinal);
    }

    [Fact]
    public void Slot_picker_spreads_the_offer_over_days_and_times_of_day()
    {
        // Tuesday has three morning slots, Wednesday a morning and an afternoon, Thursday one afternoon.
        IReadOnlyList<MeetingSlot> free = [At(8, 9), At(8, 9, 30), At(8, 10), At(9, 9), At(9, 15), At(10, 14)];

        var offered = SlotPicker.Spread(free, Berlin);

        Assert.Equal([At(8, 9), At(9, 15), At(10, 14)], offered);
    }

    [Fact]
    public void Slot_picker_offers_times_in_the_leads_own_day()
    {
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        // Berlin 9:00–16:30 is 0:00–7:30 in Los Angeles, 18:00 Berlin is 9:00 there.
        IReadOnlyList<MeetingSlot> free = [At(8, 9), At(8, 10), At(8, 18), At(9, 9), At(9, 18), At(10, 9)];

        Assert.Equal([At(8, 18), At(9, 18)], SlotPicker.Spread(free, losAngeles));
    }

    [Fact]
    public void Slot_picker_without_a_time_in_the_leads_day_offers_the_nearest_to_it()
    {
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        // 16:00 and 16:30 Berlin are 7:00 and 7:30 in Los Angeles; 9:00 Berlin is midnight there.
        IReadOnlyList<MeetingSlot> free = [At(8, 9), At(8, 16), At(9, 9), At(9, 16, 30), At(10, 9)];

        Assert.Equal([At(8, 16), At(9, 16, 30)], SlotPicker.Spread(free, losAngeles));
    }

    [Fact]
    public void Slot_picker_answers_a_taken_time_with_the_nearest_times_in_the_leads_own_day()
    {
        var losAngeles = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        // 3 pm Tuesday in Los Angeles is midnight Berlin; 9:00 and 10:00 Berlin Wednesday are 0:00 and 1:00 there.
        var wanted = new DateTimeOffset(2026, 12, 8, 15, 0, 0, TimeSpan.FromHours(-8));
        IReadOnlyList<MeetingSlot> free = [At(8, 18), At(9, 9), At(9, 10), At(9, 18)];

        Assert.Equal([At(8, 18), At(9, 18)], SlotPicker.Nearest(free, wanted, losAngeles));
    }

    [Fact]
    public void Slot_picker_on_a_single_day_takes_times_far_apart()
    {
        IReadOnlyList<MeetingSlot> free = [At(8, 9), At(8, 9, 30), At(8, 10), At(8, 16)];

        Assert.Equal([At(8, 9), At(8, 10), At(8, 16)], SlotPicker.Spread(free, Berlin));
        Assert.Equal([At(8, 9)], SlotPicker.Spread([At(8, 9)], Berlin));
    }

    [Fact]
    public void Times_outside_the_leads_day_say_the_team_works_in_another_zone()
    {
        var la = TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        var lateBerlinAfternoon = new[] { MeetingTestData.At(8, 16) };

        Assert.Equal(" Our team works on Europe/Berlin time, so these are the times closest to your working day.", SlotText.HostHoursNote(lateBerlinAfternoon, la, "Europe/Berlin", "en"));
        Assert.Equal("", SlotText.HostHoursNote(lateBerlinAfternoon, MeetingTestData.Berlin, "Europe/Berlin", "de"));
        Assert.Equal("", SlotText.HostHoursNote([MeetingTestData.At(8, 9)], TimeZoneInfo.FindSystemTimeZoneById("Europe/London"), "Europe/Berlin", "en"));
        // Still read as our offer, so a "yes" answers it.
        Assert.True(SlotText.IsOffer(SlotText.OfferReply(lateBerlinAfternoon, la, "en", MeetingWish.Demo) + SlotText.HostHoursNote(lateBerlinAfternoon, la, "Europe/Berlin", "en")));
    }
}
