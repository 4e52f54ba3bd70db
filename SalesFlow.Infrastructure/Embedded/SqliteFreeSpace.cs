using System.Buffers.Binary;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Zeroes the bytes of one b-tree page that no cell uses (the gap between the cell pointer array and the cell content
/// area, and the bodies of free blocks), following the SQLite file format. <c>secure_delete</c> zeroes a row's bytes
/// where it is deleted, but when SQLite rebalances a b-tree it rewrites a page's cells and leaves the bytes of cells
/// that moved to a sibling in that page's gap: an erased lead's text can survive there long after its row is gone.
/// Only unused bytes are touched, so readers see the same page either way.
/// </summary>
internal static class SqliteFreeSpace
{
    private const byte InteriorIndex = 2;
    private const byte InteriorTable = 5;
    private const byte LeafIndex = 10;
    private const byte LeafTable = 13;

    /// <summary>True when something was zeroed. Pages that are not b-tree pages, or do not parse, are left as they are.</summary>
    public static bool Scrub(Span<byte> page, int headerOffset, int usableSize)
    {
        var type = page[headerOffset];
        if (type is not (InteriorIndex or InteriorTable or LeafIndex or LeafTable) || usableSize > page.Length)
        {
            return false;
        }

        var headerSize = type is InteriorIndex or InteriorTable ? 12 : 8;
        var cells = BinaryPrimitives.ReadUInt16BigEndian(page[(headerOffset + 3)..]);
        int contentStart = BinaryPrimitives.ReadUInt16BigEndian(page[(headerOffset + 5)..]);
        contentStart = contentStart == 0 ? 65536 : contentStart;
        var pointersEnd = headerOffset + headerSize + (2 * cells);
        if (pointersEnd > contentStart || contentStart > usableSize)
        {
            return false;
        }

        var changed = Zero(page[pointersEnd..contentStart]);

        // Free blocks inside the content area: 2 bytes next offset, 2 bytes size, then unused bytes. Ascending offsets.
        int block = BinaryPrimitives.ReadUInt16BigEndian(page[(headerOffset + 1)..]);
        var floor = contentStart;
        while (block != 0)
        {
            if (block < floor || block + 4 > usableSize)
            {
                break;
            }

            int next = BinaryPrimitives.ReadUInt16BigEndian(page[block..]);
            int size = BinaryPrimitives.ReadUInt16BigEndian(page[(block + 2)..]);
            if (size < 4 || block + size > usableSize)
            {
                break;
            }

            changed |= Zero(page[(block + 4)..(block + size)]);
            floor = block + size;
            block = next;
        }

        return changed;
    }

    private static bool Zero(Span<byte> bytes)
    {
        if (bytes.IndexOfAnyExcept((byte)0) < 0)
        {
            return false;
        }

        bytes.Clear();
        return true;
    }
}
