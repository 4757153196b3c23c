namespace Forecast.Chronos.Loading;

/// <summary>The model families this library runs, chosen from config.json as base.py: from_pretrained does.</summary>
public enum ChronosModelKind
{
    /// <summary>Chronos-T5: architectures[0] T5ForConditionalGeneration, no chronos_pipeline_class.</summary>
    T5,

    /// <summary>Chronos-Bolt: architectures[0] ChronosBoltModelForForecasting / ChronosBoltPipeline.</summary>
    Bolt,
}
