using SalesFlow.Core.Channels;

namespace SalesFlow.Tests.Channels;

public class EmailAuthenticationTests
{
    [Fact]
    public void DkimPassForTheFromDomainAuthenticates()
    {
        var result = EmailAuthentication.Evaluate("anna@example.com", null, null, "{@example.com : pass}");

        Assert.True(result.SenderAuthenticated);
        Assert.Equal("dkim", result.Method);
    }

    [Fact]
    public void DkimPassForAParentDomainAuthenticatesASubdomainSender()
    {
        Assert.True(EmailAuthentication.Evaluate("anna@mail.eu.example.com", null, null, "{@example.com : pass}").SenderAuthenticated);
    }

    [Fact]
    public void DkimPassForASubdomainDoesNotVouchForItsParent()
    {
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", null, null, "{@mail.example.com : pass}").SenderAuthenticated);
    }

    [Theory]
    [InlineData("anna@evilexample.com", "{@example.com : pass}")]
    [InlineData("anna@example.com", "{@evilexample.com : pass}")]
    [InlineData("anna@example.com.evil.net", "{@example.com : pass}")]
    [InlineData("anna@example.com", "{@example.co : pass}")]
    public void DkimPassForALookAlikeDomainDoesNotAuthenticate(string from, string dkim)
    {
        Assert.False(EmailAuthentication.Evaluate(from, null, null, dkim).SenderAuthenticated);
    }

    [Fact]
    public void DkimPassForAnotherDomainAloneDoesNotAuthenticate()
    {
        // The relay's own signature (SendGrid's fixture: From test@example.com, signed by sendgrid.com) says nothing about the author.
        Assert.False(EmailAuthentication.Evaluate("test@example.com", null, "fail", "{@sendgrid.com : pass}").SenderAuthenticated);
    }

    [Theory]
    [InlineData("{@example.com : fail}")]
    [InlineData("{@example.com : neutral}")]
    [InlineData("{@example.com : temperror}")]
    [InlineData("{@example.com : permerror}")]
    [InlineData("{@example.com : none}")]
    [InlineData("none")]
    public void DkimWithoutAPassDoesNotAuthenticate(string dkim)
    {
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", null, null, dkim).SenderAuthenticated);
    }

    [Fact]
    public void OneAlignedPassAmongSeveralSignaturesAuthenticates()
    {
        var result = EmailAuthentication.Evaluate("anna@example.com", null, null, "{@sendgrid.net : pass, @example.com : pass}");

        Assert.True(result.SenderAuthenticated);
        Assert.Equal([new DkimVerdict("sendgrid.net", "pass"), new DkimVerdict("example.com", "pass")], result.Dkim);
    }

    [Fact]
    public void AnAlignedFailBesideAnUnalignedPassDoesNotAuthenticate()
    {
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", null, null, "{@example.com : fail, @sendgrid.net : pass}").SenderAuthenticated);
    }

    [Fact]
    public void SpfPassWithAnAlignedEnvelopeSenderAuthenticates()
    {
        var result = EmailAuthentication.Evaluate("anna@example.com", "bounces@example.com", "pass", null);

        Assert.True(result.SenderAuthenticated);
        Assert.Equal("spf", result.Method);
    }

    [Fact]
    public void SpfPassForAParentEnvelopeDomainVouchesForASubdomainSenderButNotTheReverse()
    {
        Assert.True(EmailAuthentication.Evaluate("anna@eu.example.com", "bounce@example.com", "pass", null).SenderAuthenticated);
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", "bounce@eu.example.com", "pass", null).SenderAuthenticated);
    }

    [Theory]
    [InlineData("bounces+123@sendgrid.net")]
    [InlineData("attacker@evilexample.com")]
    [InlineData("")]
    [InlineData("<>")]
    [InlineData(null)]
    public void SpfPassForAnUnalignedOrMissingEnvelopeSenderDoesNotAuthenticate(string? envelopeFrom)
    {
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", envelopeFrom, "pass", null).SenderAuthenticated);
    }

    [Theory]
    [InlineData("softfail")]
    [InlineData("fail")]
    [InlineData("neutral")]
    [InlineData("none")]
    [InlineData("temperror")]
    [InlineData("permerror")]
    [InlineData("passed")]
    [InlineData("")]
    [InlineData(null)]
    public void SpfResultsOtherThanPassDoNotAuthenticate(string? spf)
    {
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", "anna@example.com", spf, null).SenderAuthenticated);
    }

    [Fact]
    public void WithoutAnySpfOrDkimFieldTheSenderIsNotAuthenticated()
    {
        var result = EmailAuthentication.Evaluate("anna@example.com", null, null, null);

        Assert.False(result.SenderAuthenticated);
        Assert.Null(result.Method);
        Assert.Empty(result.Dkim);
    }

    [Fact]
    public void DomainsAndResultsCompareCaseInsensitively()
    {
        Assert.True(EmailAuthentication.Evaluate("Anna@Mail.EXAMPLE.com", null, null, "{@Example.COM : PASS}").SenderAuthenticated);
        Assert.True(EmailAuthentication.Evaluate("anna@example.com", "Bounce@EXAMPLE.COM", "Pass", null).SenderAuthenticated);
    }

    [Fact]
    public void ABareTopLevelDomainVouchesForNothing()
    {
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", null, null, "{@com : pass}").SenderAuthenticated);
        Assert.False(EmailAuthentication.Evaluate("anna@example.com", "x@com", "pass", null).SenderAuthenticated);
    }

    [Fact]
    public void AnInternationalisedFromDomainAlignsWithItsPunycodeSigner()
    {
        Assert.True(EmailAuthentication.Evaluate("anna@bücher.example", null, null, "{@xn--bcher-kva.example : pass}").SenderAuthenticated);
    }

    [Theory]
    [InlineData("{@example.com : pass}", "example.com:pass")]
    [InlineData("{@a.com : pass, @b.com : fail}", "a.com:pass b.com:fail")]
    [InlineData("{@a.com:pass,@b.com:neutral}", "a.com:pass b.com:neutral")]
    [InlineData("{@a.com : pass, garbage, @ : pass}", "a.com:pass")]
    [InlineData("none", "")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void SendGridsDkimFieldIsReadAsOneVerdictPerSignature(string? dkim, string expected)
    {
        var verdicts = EmailAuthentication.ParseDkim(dkim);

        Assert.Equal(expected, string.Join(' ', verdicts.Select(v => $"{v.Domain}:{v.Result}")));
    }

    [Fact]
    public void TheVerdictIsWrittenToTheMessageMetadata()
    {
        var metadata = new Dictionary<string, string>();
        EmailAuthentication.Evaluate("anna@example.com", null, "fail", "{@example.com : pass}").WriteTo(metadata, " {@example.com : pass} ");

        Assert.Equal("true", metadata[EmailAuthentication.AuthenticatedKey]);
        Assert.Equal("dkim", metadata[EmailAuthentication.MethodKey]);
        Assert.Equal("{@example.com : pass}", metadata[EmailAuthentication.DkimKey]);
        Assert.False(EmailAuthentication.IsUnauthenticated(metadata));

        var forged = new Dictionary<string, string>();
        EmailAuthentication.Evaluate("anna@example.com", null, "fail", null).WriteTo(forged, null);
        Assert.Equal("false", forged[EmailAuthentication.AuthenticatedKey]);
        Assert.False(forged.ContainsKey(EmailAuthentication.MethodKey));
        Assert.True(EmailAuthentication.IsUnauthenticated(forged));
    }

    [Fact]
    public void AMessageWithoutAVerdictIsNotCountedAsUnauthenticated()
    {
        Assert.False(EmailAuthentication.IsUnauthenticated(null));
        Assert.False(EmailAuthentication.IsUnauthenticated(new Dictionary<string, string> { ["subject"] = "Hi" }));
    }
}
