namespace Forecast.AppHost;

/// <summary>
/// What `dotnet run --project AppHost` prints when the stack cannot start: one line naming the problem and the way
/// out (our own messages already say both), never a stack trace. Inner exceptions' messages are joined in order, since
/// Aspire and DCP often wrap the one that explains.
/// </summary>
public static class StartupFailure
{
    /// <summary>Failures to report; cancellation (Ctrl+C while starting) and the hosting's own control flow are not.</summary>
    public static bool IsFailure(Exception e) =>
        e is not OperationCanceledException && e.GetType().Name != "HostAbortedException";

    public static string Describe(Exception e)
    {
        var messages = new List<string>();
        for (Exception? current = e; current is not null; current = current is AggregateException { InnerExceptions.Count: 1 } single ? single.InnerExceptions[0] : current.InnerException)
        {
            string message = string.Join(' ', current.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (message.Length > 0 && !messages.Any(m => m.Contains(message, StringComparison.Ordinal))) messages.Add(message);
        }
        return $"The Forecast stack cannot start: {string.Join(" — ", messages)}";
    }
}
