namespace Forecast.Chronos.Checkpoints;

/// <summary>Which Chronos model a checkpoint holds (chronos-forecasting BaseChronosPipeline.from_pretrained dispatch).</summary>
public enum ChronosModelFamily
{
    /// <summary>T5ForConditionalGeneration + MeanScaleUniformBins tokens (ChronosPipeline).</summary>
    ChronosT5,

    /// <summary>ChronosBoltModelForForecasting (ChronosBoltPipeline).</summary>
    ChronosBolt,

    /// <summary>Chronos2Model (Chronos2Pipeline).</summary>
    Chronos2,
}
