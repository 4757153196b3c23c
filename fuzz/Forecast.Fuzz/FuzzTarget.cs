namespace Forecast.Fuzz;

/// <summary>
/// One parser under fuzzing: feeds it bytes and lets only its documented, named exceptions through as "rejected";
/// anything else escaping <see cref="Run"/> is a finding.
/// </summary>
/// <param name="Name">The target's name on the command line and its corpus folder under fuzz/corpus.</param>
/// <param name="Dictionary">Tokens the mutator splices in (syntax of the format, awkward numbers).</param>
/// <param name="Parse">Parses the bytes; may throw.</param>
/// <param name="IsNamed">Whether an exception is one the parser documents.</param>
public sealed record FuzzTarget(string Name, IReadOnlyList<byte[]> Dictionary, Action<byte[]> Parse, Func<Exception, bool> IsNamed)
{
    /// <summary>Runs one input: null when it parsed or was rejected with a named exception, else the unnamed exception.</summary>
    public Exception? Run(byte[] input)
    {
        try
        {
            Parse(input);
            return null;
        }
        catch (Exception e) when (IsNamed(e))
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }
}
