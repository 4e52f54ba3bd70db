namespace SalesFlow.Tests.Support;

public static class Eventually
{
    /// <summary>Polls until the condition holds (background work is asynchronous); fails with the last value after the timeout.</summary>
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> condition, TimeSpan? timeout = null, string? because = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        T value;
        do
        {
            value = await probe();
            if (condition(value))
            {
                return value;
            }

            await Task.Delay(100);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"Condition not met in time{(because is null ? "" : ": " + because)}. Last value: {value}");
        return value;
    }
}
