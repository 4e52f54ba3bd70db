using System.Text;
using SalesFlow.Core.Common;
using SalesFlow.Core.Knowledge;
using SalesFlow.Functions.Extensions;

namespace SalesFlow.Tests.Common;

public sealed class ReadableTextTests
{
    [Theory]
    [InlineData("")]
    [InlineData(" \t\r\n")]
    [InlineData("\u200b\u200c\u200d\u2060\ufeff")]
    [InlineData("\u0000\u0007\u001b")]
    [InlineData("\u200e\u200f\u202a\u202e\u2066\u2069")]
    [InlineData("\u00a0\u3000\u2028")]
    public void TextWithNothingVisibleIsEmptyLooking(string text) => Assert.True(ReadableText.IsEmptyLooking(text));

    [Theory]
    [InlineData("ok")]
    [InlineData("\u200b?")]
    [InlineData("👍")]
    [InlineData("\u0301")]
    public void TextWithOneVisibleCharacterIsNotEmptyLooking(string text) => Assert.False(ReadableText.IsEmptyLooking(text));

    [Theory]
    [InlineData("Products", true)]
    [InlineData("👨\u200d👩\u200d👧 Family plan", true)]
    [InlineData("\u0000\u202e", false)]
    [InlineData("Products\u0000", false)]
    [InlineData("Line\nbreak", false)]
    [InlineData("\u200b", false)]
    [InlineData(null, false)]
    public void ALabelIsOneReadableLine(string? label, bool readable) => Assert.Equal(readable, ReadableText.IsReadableLabel(label));

    [Theory]
    [InlineData(null, true)]
    [InlineData("", true)]
    [InlineData("Two\nlines\twith a tab", true)]
    [InlineData("\u200b", false)]
    [InlineData("Nul\u0000inside", false)]
    public void ProseMayBreakLinesButHoldsNoOtherControl(string? text, bool readable) => Assert.Equal(readable, ReadableText.IsReadableProse(text));

    [Theory]
    [InlineData("keyword", true)]
    [InlineData("Vector", true)]
    [InlineData("keyword,vector", false)]
    [InlineData("1", false)]
    [InlineData(" hybrid", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void AnEnumIsReadFromExactlyOneOfItsNames(string? value, bool accepted) => Assert.Equal(accepted, WireNames.TryParse<SearchMode>(value, out _));

    [Theory]
    [InlineData(new byte[] { (byte)'a', 0x00, (byte)'b' })]
    [InlineData(new byte[] { (byte)'a', 0xFF })]
    [InlineData(new byte[] { 0xC0, 0xAF })]
    public void AHeaderValueWithANulOrBytesThatAreNotUtf8BecomesTheMark(byte[] value) =>
        Assert.Equal(RequestHeaderEncoding.Unreadable.ToString(), RequestHeaderEncoding.Instance.GetString(value));

    [Fact]
    public void AUtf8HeaderValueIsReadAsItIs() =>
        Assert.Equal("Bearer café", RequestHeaderEncoding.Instance.GetString(Encoding.UTF8.GetBytes("Bearer café")));
}
