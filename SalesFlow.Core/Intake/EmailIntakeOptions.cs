namespace SalesFlow.Core.Intake;

/// <summary>How inbound e-mail is trusted (section <c>Email</c>).</summary>
public sealed class EmailIntakeOptions
{
    public const string Section = "Email";

    /// <summary>
    /// When true (the default), an inbound e-mail whose From domain neither DKIM nor SPF vouched for is stored but never
    /// answered or acted on. Turn off only behind a relay that does not run SPF or DKIM checks: then the From header is
    /// trusted as it is, and anyone who can post to the webhook can speak for any lead.
    /// </summary>
    public bool RequireSenderAuthentication { get; set; } = true;
}
