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
    public void Top_k_draws_from_the_softmax_of_the_k_best_logits()
    {
        // EOS (id 1) masked; the 3 best of the rest are tokens 0, 2, 3 with softmax(2, 1, 0) = 0.665, 0.245, 0.090.
        float[] logits = [2f, 9f, 1f, 0f, -5f, -6f];
        const int draws = 4000;

        var drawn = Draw(new TokenSampler(1, 1, topK: 3, topP: 1), logits, draws);

        drawn.Distinct().Order().Should().Equal(0, 2, 3);
        double[] expected = [0.665, 0.245, 0.090];
        long[] tokens = [0, 2, 3];
        for (var i = 0; i < tokens.Length; i++)
        {
            var sigma = Math.Sqrt(expected[i] * (1 - expected[i]) / draws);
            ((double)drawn.Count(t => t == tokens[i]) / draws).Should().BeApproximately(expected[i], 5 * sigma, $"token {tokens[i]}");
        }
    }

    [Fact]
    public void Top_k_then_temperature_then_top_p_act_on_the_k_candidates_as_on_the_whole_vocabulary()
    {
        // Temperature 0.5 doubles the logits: softmax(6, 4, 2) over tokens 0, 2, 3 = 0.867, 0.117, 0.016; top-p 0.9 keeps
        // the smallest set reaching 0.9 from the top (tokens 0 and 2), as the whole-vocabulary rule does.
        float[] logits = [3f, 9f, 2f, 1f, 0f];

        var drawn = Draw(new TokenSampler(1, temperature: 0.5, topK: 3, topP: 0.9), logits, 1500);

        drawn.Distinct().Order().Should().Equal(0, 2);
        ((double)drawn.Count(t => t == 2) / drawn.Length).Should().BeInRange(0.09, 0.18, "0.117 / (0.867 + 0.117) = 0.119");
    }

    [Fact]
    public void The_same_seed_draws_the_same_tokens()
    {
        var sampler = new TokenSampler(1, 1, topK: 50, topP: 1);
        float[] logits = [0.1f, 0f, 0.3f, 0.2f, 0.5f, 0.4f];

        Draw(sampler, logits, 50, seed: 9).Should().Equal(Draw(sampler, logits, 50, seed: 9));
    }
}
