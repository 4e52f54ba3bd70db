namespace SalesFlow.Core.Channels;

/// <summary>The ways a lead reaches a client. Wire names are the lower-case names.</summary>
public enum ChannelKind
{
    WhatsApp,
    Sms,
    Email,
    /// <summary>The API's simulated channel (no provider behind it).</summary>
    Web,
}

public static class ChannelKindNames
{
    public static string ToWire(this ChannelKind kind) => kind switch
    {
        ChannelKind.WhatsApp => "whatsapp",
        ChannelKind.Sms => "sms",
        ChannelKind.Email => "email",
        ChannelKind.Web => "web",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? value, out ChannelKind kind)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "whatsapp": kind = ChannelKind.WhatsApp; return true;
            case "sms": kind = ChannelKind.Sms; return true;
            case "email": kind = ChannelKind.Email; return true;
            case "web": kind = ChannelKind.Web; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Short messaging channels where a reply must stay within 280 characters.</summary>
    public static bool IsShortForm(this ChannelKind kind) => kind is ChannelKind.WhatsApp or ChannelKind.Sms or ChannelKind.Web;
}
