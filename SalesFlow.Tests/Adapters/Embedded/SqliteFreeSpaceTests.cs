using System.Buffers.Binary;
using SalesFlow.Infrastructure.Embedded;

namespace SalesFlow.Tests.Adapters.Embedded;

public sealed class SqliteFreeSpaceTests
{
    /// <summary>A table leaf page: one cell at 2900..2999, a free block at 3000..3099, leftovers everywhere else.</summary>
    private static byte[] LeafPage()
    {
        var page = Enumerable.Repeat((byte)'X', 4096).ToArray();
        page[0] = 13;
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(1), 3000); // first free block
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(3), 1); // one cell
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(5), 2900); // cell content area starts here
        page[7] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(8), 2900); // the cell's pointer
        page.AsSpan(2900, 100).Fill((byte)'C');
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(3000), 0); // last free block
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(3002), 100);
        return page;
    }

    [Fact]
    public void TheGapAndFreeBlockBodiesAreZeroedAndCellsAndHeadersKept()
    {
        var page = LeafPage();
        var before = page.ToArray();

        Assert.True(SqliteFreeSpace.Scrub(page, 0, 4096));

        Assert.Equal(before[..10], page[..10]); // header and cell pointer
        Assert.All(page[10..2900], b => Assert.Equal(0, b));
        Assert.Equal(before[2900..3004], page[2900..3004]); // the cell, the free block's next and size
        Assert.All(page[3004..3100], b => Assert.Equal(0, b));
        Assert.Equal(before[3100..], page[3100..]); // cells the page points to are never guessed at
        Assert.False(SqliteFreeSpace.Scrub(page, 0, 4096)); // nothing left to zero: nothing to write
    }

    [Fact]
    public void PagesThatAreNotBtreePagesOrDoNotParseAreLeftAlone()
    {
        var overflow = LeafPage();
        overflow[0] = 0; // overflow and freelist pages start with a page number
        var overlapping = LeafPage();
        BinaryPrimitives.WriteUInt16BigEndian(overlapping.AsSpan(3), 2000); // cell pointers would run past the content start
        var freeBlockOutside = LeafPage();
        BinaryPrimitives.WriteUInt16BigEndian(freeBlockOutside.AsSpan(3002), 2000); // a free block past the page's end

        foreach (var page in new[] { overflow, overlapping })
        {
            var before = page.ToArray();
            Assert.False(SqliteFreeSpace.Scrub(page, 0, 4096));
            Assert.Equal(before, page);
        }

        Assert.True(SqliteFreeSpace.Scrub(freeBlockOutside, 0, 4096)); // the gap, but not the bad free block
        Assert.All(freeBlockOutside[3004..3100], b => Assert.Equal((byte)'X', b));
    }

    [Fact]
    public void OnPageOneTheHeaderStartsAfterTheFileHeader()
    {
        var page = new byte[4096];
        page.AsSpan(0, 100).Fill((byte)'H');
        LeafPage().AsSpan(0, 4096 - 100).CopyTo(page.AsSpan(100));
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(100 + 5), 3000);
        BinaryPrimitives.WriteUInt16BigEndian(page.AsSpan(100 + 1), 0);

        Assert.True(SqliteFreeSpace.Scrub(page, 100, 4096));

        Assert.All(page[..100], b => Assert.Equal((byte)'H', b));
        Assert.All(page[110..3000], b => Assert.Equal(0, b));
    }
}
