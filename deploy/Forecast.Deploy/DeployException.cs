namespace Forecast.Deploy;

/// <summary>
/// The deployment cannot be synthesized as asked: the message names the file, resource, field or setting at fault
/// and what would fix it. Synthesis exits with code 2.
/// </summary>
public sealed class DeployException(string message, Exception? inner = null) : Exception(message, inner);
