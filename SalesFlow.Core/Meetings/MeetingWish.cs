namespace SalesFlow.Core.Meetings;

/// <summary>What the lead asked to have: the offer of times names it.</summary>
public enum MeetingWish
{
    /// <summary>A demo, or a meeting not named more closely.</summary>
    Demo,

    /// <summary>A phone call ("Können wir nächste Woche mal telefonieren?", "can we hop on a call?").</summary>
    Call,

    /// <summary>To be called back ("Können Sie mich zurückrufen?", "can someone call me").</summary>
    CallBack,
}
