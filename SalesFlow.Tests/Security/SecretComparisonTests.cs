using SalesFlow.Functions.Security;

namespace SalesFlow.Tests.Security;

public sealed class SecretComparisonTests
{
    [Theory]
    [InlineData("secret", "secret", true)]
    [InlineData("secret", "Secret", false)]
    [InlineData("secret", "secret2", false)]
    [InlineData("", "", false)]
    [InlineData("", null, false)]
    [InlineData(null, null, false)]
    [InlineData("secret", "", false)]
    public void OnlyTheSameNonEmptySecretMatches(string? stored, string? given, bool matches) =>
        Assert.Equal(matches, ClientAuthenticator.FixedTimeEquals(stored, given));
}
