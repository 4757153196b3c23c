using Forecast.Chronos.ChronosT5;
using static TorchSharp.torch;

namespace Forecast.Chronos.Tests.ChronosT5;

/// <summary>HF's logits processing order on crafted logits (generation/logits_process.py).</summary>
public class TokenSamplerTests
{
    private static long[] Draw(TokenSampler sampler, float[] logits, int draws, long seed = 1)
    {
        TorchRuntime.EnsureLoaded();
        using var generator = new Generator((ulong)seed);
        using var rows = tensor(logits).unsqueeze(0).expand(draws, logits.Length).contiguous();
        using var next = sampler.Sample(rows, generator);
        return next.flatten().data<long>().ToArray();
    }

    [Fact]
    public void Eos_is_never_drawn_even_when_it_has_the_highest_logit()
    {
        var drawn = Draw(new TokenSampler(eosTokenId: 1, temperature: 1, topK: 0, topP: 1), [0f, 10f, 1f, 1f], 500);

        drawn.Should().NotContain(1);
    }

    [Fact]
    public void Top_k_one_is_greedy_and_keeps_ties_with_the_kth_logit()
    {
        var greedy = Draw(new TokenSampler(1, 1, topK: 1, topP: 1), [0f, 0f, 2f, 5f, 1f], 200);
        var tied = Draw(new TokenSampler(1, 1, topK: 1, topP: 1), [0f, 0f, 5f, 5f, 1f], 400);

        greedy.Should().OnlyContain(t => t == 3);
        tied.Distinct().Order().Should().Equal(2, 3);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_the_mass_and_at_least_one_token()
    {
        // Probabilities (EOS id 1 masked): token 0 ≈ 0.64, token 2 ≈ 0.24, token 3 ≈ 0.09, token 4 ≈ 0.03.
        float[] logits = [3f, -100f, 2f, 1f, 0f];

        var half = Draw(new TokenSampler(1, 1, topK: 0, topP: 0.5), logits, 300);
        var most = Draw(new TokenSampler(1, 1, topK: 0, topP: 0.8), logits, 600);

        half.Should().OnlyContain(t => t == 0);
        most.Distinct().Order().Should().Equal(0, 2);
    }

    [Fact]
    public void Temperature_flattens_or_sharpens_the_distribution()
    {
        float[] logits = [1f, -100f, 0f];

        var cold = Draw(new TokenSampler(1, temperature: 0.05, topK: 0, topP: 1), logits, 400);
        var warm = Draw(new TokenSampler(1, temperature: 5, topK: 0, topP: 1), logits, 400);

        cold.Count(t => t == 0).Should().BeGreaterThan(395);
        warm.Count(t => t == 2).Should().BeInRange(120, 240);
    }

    [Fact]
    public void The_same_seed_draws_the_same_tokens()
    {
        var sampler = new TokenSampler(1, 1, topK: 50, topP: 1);
        float[] logits = [0.1f, 0f, 0.3f, 0.2f, 0.5f, 0.4f];

        Draw(sampler, logits, 50, seed: 9).Should().Equal(Draw(sampler, logits, 50, seed: 9));
    }
}
