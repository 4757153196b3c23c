namespace Forecast.Chronos;

/// <summary>The native libtorch / TorchSharp libraries could not be loaded; the message names the fix.</summary>
public sealed class TorchNativeLoadException(string message, Exception inner) : Exception(message, inner);
