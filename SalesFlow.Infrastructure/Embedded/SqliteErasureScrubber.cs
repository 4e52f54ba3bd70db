using Microsoft.Data.Sqlite;
using Microsoft.Win32.SafeHandles;

namespace SalesFlow.Infrastructure.Embedded;

/// <summary>
/// Removes what an erasure leaves in the file after its rows are deleted (with <c>secure_delete</c>): the WAL's older
/// frames and bytes that b-tree rebalancing left in pages' unused space (<see cref="SqliteFreeSpace"/>). It replaces a
/// full <c>VACUUM</c>, which held the write lock for as long as rewriting the whole file takes (a second at 100 MB) and
/// so stopped intake. Instead it walks the file in slices of <see cref="SlicePages"/> pages (1 MB); each slice holds the write
/// lock only to checkpoint, zero the slice's unused bytes in the file itself and record how far it got.
/// <para>
/// Pending erasures are rows of <c>erasure_scrubs</c> (written in the erasure's own transaction, naming nothing of the
/// lead), so one accepted before a crash is finished after the restart. A pass covers every erasure requested before it
/// began; a page stays clean once scrubbed, because the erased bytes exist only where they were when the rows were deleted.
/// </para>
/// </summary>
public sealed class SqliteErasureScrubber : IDisposable
{
    internal const int SlicePages = 256;

    private readonly SqliteDatabase _db;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private SafeFileHandle? _file; // kept open: closing a handle to the file would drop SQLite's POSIX locks on it

    internal SqliteErasureScrubber(SqliteDatabase db) => _db = db;

    /// <summary>For tests: runs after each slice, outside the write lock.</summary>
    internal Func<long, Task>? AfterSlice { get; set; }

    /// <summary>
    /// Scrubs until every erasure pending now is done (later ones do not keep the caller waiting). The work goes on when
    /// the caller stops waiting (it is not the caller's to cancel); only disposing the database stops it, and the next
    /// start resumes it.
    /// </summary>
    public async Task ScrubPendingAsync(CancellationToken ct)
    {
        var through = await _db.ReadAsync(async c => await c.Command("SELECT MAX(id) FROM erasure_scrubs").ScalarAsync() as long?);
        if (through is { } id)
        {
            await Task.Run(() => RunAsync(id, _stopping.Token), CancellationToken.None).WaitAsync(ct);
        }
    }

    /// <summary>Whether an erasure still waits for its scrub.</summary>
    public Task<bool> AnyPendingAsync() =>
        _db.ReadAsync(async c => await c.Command("SELECT 1 FROM erasure_scrubs LIMIT 1").ScalarAsync() is not null);

    public void Dispose()
    {
        _stopping.Cancel();
        _file?.Dispose();
    }

    private async Task RunAsync(long through, CancellationToken ct)
    {
        await _pass.WaitAsync(ct);
        try
        {
            // A pass covers every erasure pending when it starts, and resumes from the least progress among them.
            while (await _db.ReadAsync(c => c.Command("SELECT MAX(id), MIN(scrubbed_through) FROM erasure_scrubs HAVING MIN(id) <= $through", null, ("$through", through))
                       .QueryAsync(r => (Id: r.GetInt64(0), ScrubbedThrough: r.GetInt64(1)))) is [var pending])
            {
                await PassAsync(pending.Id, pending.ScrubbedThrough, ct);
            }
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task PassAsync(long throughId, long scrubbedThrough, CancellationToken ct)
    {
        // The WAL's older frames hold the rows as they were before the delete.
        await TruncateWalAsync(ct);
        _file ??= File.OpenHandle(_db.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var reserved = new byte[1];
        RandomAccess.Read(_file, reserved, 20); // bytes reserved at the end of each page (file header, offset 20)
        var layout = await _db.ReadAsync(async c => new Layout(
            (long)(await c.Command("PRAGMA page_count").ScalarAsync())!,
            (int)(long)(await c.Command("PRAGMA page_size").ScalarAsync())!,
            reserved[0],
            (long)(await c.Command("PRAGMA auto_vacuum").ScalarAsync())! != 0));
        for (var first = scrubbedThrough + 1; first <= layout.PageCount;)
        {
            var last = Math.Min(first + SlicePages - 1, layout.PageCount);
            if (await _db.ExclusiveAsync(() => ScrubSliceAsync(layout, first, last, throughId), ct))
            {
                first = last + 1;
                if (AfterSlice is { } hook)
                {
                    await hook(last);
                }
            }
            else
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), ct); // a reader still needs older frames: let it finish
            }
        }

        // Frames written during the pass came from pages not yet scrubbed; they are in the file now, scrubbed.
        await TruncateWalAsync(ct);
        await _db.WriteAsync((c, t) => c.Command("DELETE FROM erasure_scrubs WHERE id <= $id", t, ("$id", throughId)).ExecAsync(), ct);
    }

    /// <summary>Runs with the write lock held: nothing else writes the file or checkpoints meanwhile.</summary>
    private async Task<bool> ScrubSliceAsync(Layout layout, long first, long last, long throughId)
    {
        // Every frame in the file, so the file holds the newest copy of each page of the slice.
        await using (var connection = _db.OpenUnpooled())
        {
            var (busy, log, done) = await CheckpointAsync(connection, "PASSIVE");
            if (busy || done < log)
            {
                return false;
            }
        }

        var buffer = new byte[layout.PageSize * (int)(last - first + 1)];
        var read = RandomAccess.Read(_file!, buffer, (first - 1) * layout.PageSize);
        var changed = false;
        for (var page = first; page <= last && (page - first + 1) * layout.PageSize <= read; page++)
        {
            if (layout.IsPointerMapPage(page))
            {
                continue;
            }

            var offset = (int)(page - first) * layout.PageSize;
            var bytes = buffer.AsMemory(offset, layout.PageSize);
            if (SqliteFreeSpace.Scrub(bytes.Span, page == 1 ? 100 : 0, layout.UsableSize))
            {
                RandomAccess.Write(_file!, bytes.Span, (page - 1) * layout.PageSize);
                changed = true;
            }
        }

        if (!changed)
        {
            return true; // nothing written: no cache is stale, and a resume merely reads these pages again
        }

        RandomAccess.FlushToDisk(_file!);

        // A commit, from a connection that has cached no page, both records the progress and makes every pooled
        // connection drop the pages it cached before the scrub (SQLite rereads them when the WAL changed).
        await using (var connection = _db.OpenUnpooled())
        {
            await connection.Command("UPDATE erasure_scrubs SET scrubbed_through = $p WHERE id <= $id", null, ("$p", last), ("$id", throughId)).ExecAsync();
        }

        return true;
    }

    private async Task TruncateWalAsync(CancellationToken ct)
    {
        while (!await _db.ExclusiveAsync(
            async () =>
            {
                await using var connection = _db.OpenUnpooled();
                var (busy, _, _) = await CheckpointAsync(connection, "TRUNCATE");
                return !busy;
            },
            ct))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
        }
    }

    /// <summary>
    /// Whether a reader kept the checkpoint from finishing, frames in the WAL, frames copied to the file. A short busy
    /// wait, so the write lock is not held for long; the caller retries.
    /// </summary>
    private static async Task<(bool Busy, long Log, long Done)> CheckpointAsync(SqliteConnection connection, string mode)
    {
        await connection.Command("PRAGMA busy_timeout=50").ExecAsync();
        var row = (await connection.Command($"PRAGMA wal_checkpoint({mode})").QueryAsync(r => (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2))))[0];
        return (row.Item1 != 0, row.Item2, row.Item3);
    }

    private sealed record Layout(long PageCount, int PageSize, int Reserved, bool AutoVacuum)
    {
        public int UsableSize => PageSize - Reserved;

        /// <summary>With auto_vacuum, pointer-map pages (page 2 and every usable/5+1 pages after it) hold no cells.</summary>
        public bool IsPointerMapPage(long page) => AutoVacuum && page >= 2 && (page - 2) % ((UsableSize / 5) + 1) == 0;
    }
}
