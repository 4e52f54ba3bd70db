using SalesFlow.Core.Meetings;

namespace SalesFlow.Functions.Extensions;

public static class MeetingDialogueExtensions
{
    /// <summary>
    /// The meeting side of the conversation (offers, bookings, cancellations in the chat). Needs the calendar ports
    /// <see cref="IMeetingScheduler"/> and <see cref="IMeetingStore"/>, registered by the calendar adapters.
    /// </summary>
    public static IServiceCollection AddMeetingDialogue(this IServiceCollection services)
    {
        services.AddSingleton<MeetingService>();
        services.AddSingleton<MeetingDialogue>();
        return services;
    }
}
