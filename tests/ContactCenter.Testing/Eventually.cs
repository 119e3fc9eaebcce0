namespace ContactCenter.Testing;

/// <summary>
/// Reads again until what is read satisfies the condition, or the time is up: for figures that follow what a test
/// did a little later (a frame a second, a directory period). Returns the last reading either way, so the test's
/// own assertion says what was wrong.
/// </summary>
public static class Eventually
{
    public static async Task<T> ReadAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan? within = null)
    {
        var deadline = DateTime.UtcNow + (within ?? TimeSpan.FromSeconds(20));
        var value = await read();
        while (!condition(value) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            value = await read();
        }

        return value;
    }
}
