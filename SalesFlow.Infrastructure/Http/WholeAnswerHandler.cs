namespace SalesFlow.Infrastructure.Http;

/// <summary>
/// Reads the whole answer inside the resilience pipeline. HttpClient buffers the body only after its handlers returned,
/// so a connection reset half-way through a body escapes the retry that a reset before the headers gets (the standard
/// resilience handler has no option for it). Registered after that handler, so it runs within each attempt.
/// </summary>
public sealed class WholeAnswerHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
