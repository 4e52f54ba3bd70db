using SalesFlow.Core.Brain;
using SalesFlow.Core.Conversations;

namespace SalesFlow.Tests.Conversations;

public sealed class DialogueContextTests
{
    [Theory]
    [InlineData("yes", ShortAnswer.Yes)]
    [InlineData("Sure!", ShortAnswer.Yes)]
    [InlineData("ok", ShortAnswer.Yes)]
    [InlineData("Passt", ShortAnswer.Yes)]
    [InlineData("Ja, gerne! 👍", ShortAnswer.Yes)]
    [InlineData("yes exactly", ShortAnswer.Yes)]
    [InlineData("Ja genau!", ShortAnswer.Yes)]
    [InlineData("yeah go on then", ShortAnswer.Yes)]
    [InlineData("Let's do it!", ShortAnswer.Yes)]
    [InlineData("Ok, machen wir", ShortAnswer.Yes)]
    [InlineData("no", ShortAnswer.No)]
    [InlineData("Nein.", ShortAnswer.No)]
    [InlineData("nah im good", ShortAnswer.No)]
    [InlineData("Nah, I'm good", ShortAnswer.No)]
    [InlineData("Ne, lass mal", ShortAnswer.No)]
    [InlineData("thanks", ShortAnswer.Acknowledged)]
    [InlineData("Alles klar", ShortAnswer.Acknowledged)]
    [InlineData("ok cool", ShortAnswer.Yes)]
    [InlineData("perfekt", ShortAnswer.Acknowledged)]
    [InlineData("Perfekt, danke", ShortAnswer.Acknowledged)]
    [InlineData("??", ShortAnswer.Puzzled)]
    [InlineData("?!?", ShortAnswer.Puzzled)]
    [InlineData("!", ShortAnswer.None)]
    [InlineData("yes, how much is it for 5 people?", ShortAnswer.None)]
    [InlineData("👍", ShortAnswer.Yes)]
    [InlineData("👍🏽", ShortAnswer.Yes)]
    [InlineData("👌 ✅", ShortAnswer.Yes)]
    [InlineData("👎", ShortAnswer.No)]
    [InlineData("🙏", ShortAnswer.Acknowledged)]
    [InlineData("👍🙏", ShortAnswer.Acknowledged)]
    [InlineData("🤔", ShortAnswer.None)]
    [InlineData("😡", ShortAnswer.None)]
    public void Short_answers_are_recognised_in_english_and_german(string text, ShortAnswer expected) =>
        Assert.Equal(expected, DialogueContext.Read(text));

    [Theory]
    [InlineData("Thanks! Would it help to see how it works for a case like yours?", PendingPrompt.MeetingOffer)]
    [InlineData("Would you like a demo?", PendingPrompt.MeetingOffer)]
    [InlineData("Glad it sounds good! The next step is a short call where we look at your setup together. Shall I send you a few times for the call?", PendingPrompt.MeetingOffer)]
    [InlineData("Freut mich! Als Nächstes schlage ich ein kurzes Gespräch vor, in dem wir uns Ihr Setup gemeinsam ansehen. Soll ich Ihnen ein paar Termine schicken?", PendingPrompt.MeetingOffer)]
    [InlineData("Danke! Hätten Sie Zeit für ein kurzes Gespräch?", PendingPrompt.MeetingOffer)]
    [InlineData("Shall I put together the exact pricing for your setup?", PendingPrompt.PricingOffer)]
    [InlineData("Soll ich Ihnen die genauen Preise für Ihr Setup zusammenstellen?", PendingPrompt.PricingOffer)]
    [InlineData("Great idea, let's book a short call. How big is your team?", PendingPrompt.OpenQuestion)]
    [InlineData("Thanks, a colleague will be in touch.", PendingPrompt.None)]
    [InlineData("Diese Zeit ist leider nicht frei. Wie wäre es mit Di., 8. Dez. 09:00, Di., 8. Dez. 09:30 oder Di., 8. Dez. 10:30? (Zeiten in Europe/Berlin)", PendingPrompt.SlotOffer)]
    [InlineData("Happy to set up a demo. Would Mon 7 Dec 09:00 or Tue 8 Dec 12:00 work? (Times in Europe/London)", PendingPrompt.SlotOffer)]
    [InlineData("Gebucht: Di., 8. Dez. 10:00 (Europe/Berlin).", PendingPrompt.MeetingBooked)]
    [InlineData("Booked: Tue 8 Dec 10:00 (Europe/London). You'll also get a confirmation by e-mail.", PendingPrompt.MeetingBooked)]
    [InlineData("Of course, Anna! I'll write to you again on Mon 14 Dec. If anything comes up before then, just reply here.", PendingPrompt.CheckBackPromised)]
    [InlineData("Sorry to hear that. I've passed this on to a colleague. Could you share any details, like an order number or a screenshot, to speed things up?", PendingPrompt.SupportDetails)]
    [InlineData("Das tut mir leid! Ein Kollege schaut sich das an. Können Sie mir noch Details schicken, zum Beispiel eine Bestellnummer oder einen Screenshot?", PendingPrompt.SupportDetails)]
    [InlineData("Gerne! Ich melde mich am Mo., 14. Dez. wieder bei Ihnen. Falls vorher etwas ist, schreiben Sie einfach hier.", PendingPrompt.CheckBackPromised)]
    public void The_prompt_is_the_last_question_salesflow_asked(string outbound, PendingPrompt expected) =>
        Assert.Equal(expected, DialogueContext.PromptOf(outbound));

    [Fact]
    public void A_bare_yes_to_several_offered_times_asks_which_one()
    {
        var reading = DialogueContext.Interpret("Wie wäre es mit Di., 8. Dez. 09:00 oder Mi., 9. Dez. 09:00? (Zeiten in Europe/Berlin)", "passt", true, "Anna")!;

        Assert.Null(reading.Intent);
        Assert.Equal("Gern, Anna! Welche der genannten Zeiten passt Ihnen am besten?", reading.FixedReply);
    }

    [Fact]
    public void Thanks_after_a_booking_is_answered_without_another_sales_question()
    {
        var reading = DialogueContext.Interpret("Booked: Tue 8 Dec 10:00 (Europe/London).", "thanks", false, null)!;

        Assert.Null(reading.Intent);
        Assert.Equal("Great, talk to you then! If anything comes up before, just message me.", reading.FixedReply);
    }

    /// <summary>"Danke, bis dann" after the booking was searched ("bis" met the scoring answer's "0 bis 100") and sent it.</summary>
    [Theory]
    [InlineData("Gebucht: Do., 10. Dez. 14:00 (Europe/Berlin).", "Danke, bis dann", true)]
    [InlineData("Gebucht: Do., 10. Dez. 14:00 (Europe/Berlin).", "Super, bis Donnerstag!", true)]
    [InlineData("Booked: Thu 10 Dec 14:00 (Europe/London).", "cheers, see you thursday", true)]
    [InlineData("Booked: Thu 10 Dec 14:00 (Europe/London).", "thanks, bye", false)]
    public void A_goodbye_after_a_booking_is_answered_without_another_sales_question(string booked, string text, bool german)
    {
        var reading = DialogueContext.Interpret(booked, text, german, null)!;

        Assert.Null(reading.Intent);
        Assert.StartsWith(german ? "Prima, dann bis zum Termin!" : "Great, talk to you then!", reading.FixedReply, StringComparison.Ordinal);
    }

    /// <summary>"👍" after "I'll write to you again on Mon 21 Dec" was asked how the lead handles this today.</summary>
    [Fact]
    public void A_thumbs_up_after_a_promise_to_write_again_ends_the_exchange()
    {
        var reading = DialogueContext.Interpret("Of course, Chloe! I'll write to you again on Mon 21 Dec. If anything comes up before then, just reply here.", "👍", false, "Chloe")!;

        Assert.Null(reading.Intent);
        Assert.Equal("You're welcome, Chloe, talk soon!", reading.FixedReply);
    }

    [Fact]
    public void Yes_to_a_demo_offer_is_a_meeting_wish() =>
        Assert.Equal(Intent.Meeting, DialogueContext.Interpret("Would you like a demo?", "yes", false, null)!.Intent);

    [Fact]
    public void Ja_to_a_pricing_offer_asks_for_the_prices() =>
        Assert.Equal(Intent.Pricing, DialogueContext.Interpret("Soll ich Ihnen die genauen Preise zusammenstellen?", "ja gerne", true, null)!.Intent);

    /// <summary>"ok cool" to the pricing offer was asked "Shall I put together the exact pricing?" once more.</summary>
    [Fact]
    public void Yes_to_a_pricing_offer_is_answered_with_the_next_step_not_the_same_offer()
    {
        var reading = DialogueContext.Interpret("Got it, thanks. Shall I put together the exact pricing for your setup?", "ok cool", false, "Sam")!;

        Assert.Equal(Intent.Pricing, reading.Intent);
        Assert.Equal(PendingPrompt.AddressRequest, DialogueContext.PromptOf(reading.FixedReply));
        Assert.Contains("colleague", reading.FixedReply, StringComparison.Ordinal);
        Assert.Contains("e-mail", reading.FixedReply, StringComparison.Ordinal);
    }

    [Fact]
    public void Question_marks_alone_get_an_apology_and_the_last_question_again()
    {
        var reading = DialogueContext.Interpret("Thanks! What's the main challenge you'd like to solve?", "??", false, "Sam")!;

        Assert.Null(reading.Intent);
        Assert.Equal("Sorry, Sam, I wasn't clear. What's the main challenge you'd like to solve?", reading.FixedReply);
        Assert.Equal("Entschuldigung, da war ich wohl unklar. Wobei kann ich Ihnen helfen?", DialogueContext.Interpret("Danke für die Info.", "??", true, null)!.FixedReply);
    }

    /// <summary>"thanks!" after the address confirmation was sent was offered the pricing or a call, after the lead had said it buys.</summary>
    [Theory]
    [InlineData("Thanks, Sam! I've sent a short confirmation to sam@example.com. Send me the code from it here (or open its link) and we'll use that address.", "thanks!", false, "You're welcome, Sam! Just send me the code from the e-mail here when you have it.")]
    [InlineData("Danke, Sam! Ich habe Ihnen eine kurze Bestätigung an sam@example.com geschickt. Senden Sie mir den Code daraus hier zurück (oder öffnen Sie den Link darin), dann nutzen wir diese Adresse.", "danke", true, "Gern, Sam! Senden Sie mir einfach den Code aus der E-Mail hier, sobald Sie ihn haben.")]
    public void Thanks_when_a_confirmation_code_was_asked_for_asks_for_it_again(string lastOutbound, string text, bool german, string expected)
    {
        var reading = DialogueContext.Interpret(lastOutbound, text, german, "Sam")!;

        Assert.Equal(PendingPrompt.CodeRequest, DialogueContext.PromptOf(lastOutbound));
        Assert.Equal(expected, reading.FixedReply);
    }

    [Fact]
    public void Thanks_when_an_address_was_asked_for_asks_for_it_again()
    {
        var reading = DialogueContext.Interpret("Fantastic, thank you! Next, we'll send you the contract details to confirm. Which e-mail address should they go to?", "thx", false, "Sam")!;

        Assert.Null(reading.Intent);
        Assert.Equal("You're welcome, Sam! Which e-mail address should they go to?", reading.FixedReply);
    }

    [Fact]
    public void No_is_acknowledged_with_a_question_what_would_help()
    {
        var reading = DialogueContext.Interpret("Would you like a demo?", "no", false, "Anna")!;

        Assert.Null(reading.Intent);
        Assert.StartsWith("No problem, Anna.", reading.FixedReply, StringComparison.Ordinal);
        Assert.EndsWith("?", reading.FixedReply, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_thanks_gets_a_reply_that_offers_the_next_step_in_german()
    {
        var reading = DialogueContext.Interpret("Wie groß ist Ihr Team?", "danke", true, null)!;

        Assert.Contains("Termin", reading.FixedReply, StringComparison.Ordinal);
    }

    [Fact]
    public void A_longer_message_is_read_as_it_is() =>
        Assert.Null(DialogueContext.Interpret("Would you like a demo?", "yes but first what does it cost", false, null));
}
