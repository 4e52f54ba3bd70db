namespace SalesFlow.Tests.Meetings;

/// <summary>
/// Phrasings written before <c>SlotChoice</c> existed and never used to tune it (the tuned cases are in
/// SlotChoiceTests). Read against <see cref="SlotChoiceTests.Offer"/> (Tue 8 Dec 14:00, Wed 9 Dec 10:30, Thu 10 Dec
/// 16:00, Europe/Berlin) or, where noted, with an active meeting. Expected: "pick:N", "ambiguous", "requested",
/// "other", "cancel", "reschedule", "none". The test reports how many pass; it fails below the recorded floor.
/// </summary>
public static class SlotChoiceHeldOut
{
    public static readonly (string Text, bool ActiveMeeting, string Expected)[] Cases =
    [
        ("Option 1 please", false, "pick:0"),
        ("I'll take the 2nd", false, "pick:1"),
        ("Let's do the third one", false, "pick:2"),
        ("the wednesday slot is good", false, "pick:1"),
        ("Thursday afternoon is perfect", false, "pick:2"),
        ("14:00 on Tuesday please", false, "pick:0"),
        ("10.30 passt mir", false, "pick:1"),
        ("Am Donnerstag um 16 Uhr", false, "pick:2"),
        ("Mittwoch klingt gut", false, "pick:1"),
        ("Gerne den letzten Termin", false, "pick:2"),
        ("Ich nehme Nummer 1", false, "pick:0"),
        ("4pm thursday", false, "pick:2"),
        ("Dec 9 works for me", false, "pick:1"),
        ("den 8.12. bitte", false, "pick:0"),
        ("Let's go with Tue", false, "pick:0"),
        ("2", false, "pick:1"),
        ("Could we do Friday at 9 instead?", false, "requested"),
        ("What about Monday 3pm?", false, "requested"),
        ("Ginge auch Freitag um 11?", false, "requested"),
        ("Tuesday at 9am would suit me better", false, "requested"),
        ("none of those times work for me", false, "other"),
        ("Do you have anything next week?", false, "other"),
        ("Die passen leider alle nicht", false, "other"),
        ("Haben Sie auch andere Termine?", false, "other"),
        ("Can you send some other options?", false, "other"),
        ("What does the product cost?", false, "none"),
        ("Do you integrate with Salesforce?", false, "none"),
        ("Please cancel my appointment", true, "cancel"),
        ("Something came up and I can't make it", true, "cancel"),
        ("Ich muss den Termin leider absagen", true, "cancel"),
        ("Bitte stornieren Sie den Termin", true, "cancel"),
        ("Could we push the meeting to another day?", true, "reschedule"),
        ("Can I reschedule?", true, "reschedule"),
        ("Können wir den Termin verlegen?", true, "reschedule"),
        ("Wir müssen den Termin leider verschieben", true, "reschedule"),
        ("I need a different time for our call", true, "reschedule"),

        // Second batch, written after the first passed and run once, untuned.
        ("Wednesday at half past ten is good", false, "pick:1"),
        ("yeah the tuesday one", false, "pick:0"),
        ("I'd go for option 3", false, "pick:2"),
        ("Thursday 4pm sounds great", false, "pick:2"),
        ("Let's say the 9th", false, "pick:1"),
        ("Passt der Dienstag um 14 Uhr noch?", false, "pick:0"),
        ("Ich nehme den Mittwoch", false, "pick:1"),
        ("Donnerstag wäre super", false, "pick:2"),
        ("Den ersten Vorschlag bitte", false, "pick:0"),
        ("Zweiter Termin passt", false, "pick:1"),
        ("Could you do Monday at 10 instead?", false, "requested"),
        ("Geht auch Freitag Vormittag um 9?", false, "requested"),
        ("I'm busy all of those days", false, "other"),
        ("Leider kann ich an keinem der Tage", false, "other"),
        ("Anything the week after?", false, "other"),
        ("Who will be on the call?", false, "none"),
        ("Can my colleague join too?", false, "none"),
        ("Ich kann am Dienstag doch nicht, bitte absagen", true, "cancel"),
        ("We have to call off the demo", true, "cancel"),
        ("Please move our demo to next week", true, "reschedule"),
        ("Lässt sich der Termin auf nächste Woche schieben?", true, "reschedule"),
        ("Can we do a later time on the same day?", true, "reschedule"),
    ];
}
