using System.Runtime.CompilerServices;

namespace Forecast.Statistical.Optimization;

/// <summary>
/// The BFGS variable-metric minimiser of R's optim (src/appl/optim.c: <c>vmmin</c>, after J.C. Nash, Compact Numerical
/// Methods for Computers, converted by B.D. Ripley), step for step: backtracking line search with factor 0.2 and
/// acceptance 1e-4, inverse-Hessian update, restart when the update fails, stop on relative change below
/// <c>reltol</c> or after <c>maxit</c> iterations. stats::arima fits with this.
/// </summary>
internal static class Bfgs
{
    private const double StepReduction = 0.2;
    private const double AcceptanceTolerance = 0.0001;
    private const double RelTest = 10.0;

    /// <summary>Minimises from <paramref name="b"/> (scaled coordinates; overwritten with the result).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static OptimizationResult Minimize(ScaledObjective objective, double[] b, int maxit = 100, double abstol = double.NegativeInfinity,
        double reltol = 1.4901161193847656e-08)
    {
        int n = b.Length;
        if (maxit <= 0) return new OptimizationResult(b, objective.Value(b), 0, 0);
        var g = new double[n];
        var t = new double[n];
        var x = new double[n];
        var c = new double[n];
        var bMatrix = new double[n][];
        double[][]? trials = null;
        double[]? trialValues = null;
        for (int i = 0; i < n; i++) bMatrix[i] = new double[i + 1];
        double f = objective.Value(b);
        if (!double.IsFinite(f)) throw new OptimizationException("initial value in 'vmmin' is not finite");
        double fmin = f;
        int funcount = 1, gradcount = 1;
        objective.Gradient(b, g);
        int iter = 1;
        int ilast = gradcount;
        int count = 0;
        do
        {
            if (ilast == gradcount)
            {
                for (int i = 0; i < n; i++)
                {
                    for (int j = 0; j < i; j++) bMatrix[i][j] = 0.0;
                    bMatrix[i][i] = 1.0;
                }
            }
            for (int i = 0; i < n; i++)
            {
                x[i] = b[i];
                c[i] = g[i];
            }
            double gradproj = 0.0;
            for (int i = 0; i < n; i++)
            {
                double s = 0.0;
                for (int j = 0; j <= i; j++) s -= bMatrix[i][j] * g[j];
                for (int j = i + 1; j < n; j++) s -= bMatrix[j][i] * g[j];
                t[i] = s;
                gradproj += s * g[i];
            }

            if (gradproj < 0.0)
            {
                // Search direction is downhill.
                double steplength = 1.0;
                bool accpoint = false;
                bool rejected = false;
                do
                {
                    // After a rejected step, the next trial points (each step 0.2 times the last) are evaluated together
                    // in one batch call when the objective has one; they are then taken in vmmin's order, up to the first
                    // acceptable one, so the path, the values and funcount are vmmin's. Near the optimum a line search
                    // can shrink its step twenty times before it stops.
                    if (rejected && objective.CanBatch)
                    {
                        trials ??= [new double[n], new double[n], new double[n], new double[n]];
                        trialValues ??= new double[4];
                        int built = 0;
                        double next = steplength;
                        for (; built < trials.Length; built++)
                        {
                            var point = trials[built];
                            int unchanged = 0;
                            bool finite = true;
                            for (int i = 0; i < n; i++)
                            {
                                point[i] = x[i] + next * t[i];
                                if (RelTest + x[i] == RelTest + point[i]) unchanged++;
                                if (!double.IsFinite(point[i])) finite = false;
                            }
                            // A trial without change ends the search and one with a non-finite coordinate raises vmmin's
                            // error: both are left to the step-by-step code below.
                            if (unchanged == n || !finite) break;
                            next *= StepReduction;
                        }
                        if (built > 0)
                        {
                            objective.Values(trials, built, trialValues);
                            for (int k = 0; k < built; k++)
                            {
                                Array.Copy(trials[k], b, n);
                                count = 0; // fewer than n coordinates unchanged (checked above)
                                f = trialValues[k];
                                funcount++;
                                accpoint = double.IsFinite(f) && (f <= fmin + gradproj * steplength * AcceptanceTolerance);
                                if (accpoint) break;
                                steplength *= StepReduction;
                            }
                            continue;
                        }
                    }
                    count = 0;
                    for (int i = 0; i < n; i++)
                    {
                        b[i] = x[i] + steplength * t[i];
                        if (RelTest + x[i] == RelTest + b[i]) count++; // no change
                    }
                    if (count < n)
                    {
                        f = objective.Value(b);
                        funcount++;
                        accpoint = double.IsFinite(f) && (f <= fmin + gradproj * steplength * AcceptanceTolerance);
                        if (!accpoint)
                        {
                            steplength *= StepReduction;
                            rejected = true;
                        }
                    }
                }
                while (!(count == n || accpoint));
                bool enough = (f > abstol) && Math.Abs(f - fmin) > reltol * (Math.Abs(fmin) + reltol);
                // Stop if the value is small or the relative change is low.
                if (!enough)
                {
                    count = n;
                    fmin = f;
                }
                if (count < n)
                {
                    // Making progress.
                    fmin = f;
                    objective.Gradient(b, g);
                    gradcount++;
                    iter++;
                    double d1 = 0.0;
                    for (int i = 0; i < n; i++)
                    {
                        t[i] = steplength * t[i];
                        c[i] = g[i] - c[i];
                        d1 += t[i] * c[i];
                    }
                    if (d1 > 0)
                    {
                        double d2 = 0.0;
                        for (int i = 0; i < n; i++)
                        {
                            double s = 0.0;
                            for (int j = 0; j <= i; j++) s += bMatrix[i][j] * c[j];
                            for (int j = i + 1; j < n; j++) s += bMatrix[j][i] * c[j];
                            x[i] = s;
                            d2 += s * c[i];
                        }
                        d2 = 1.0 + d2 / d1;
                        for (int i = 0; i < n; i++)
                        {
                            for (int j = 0; j <= i; j++)
                                bMatrix[i][j] += (d2 * t[i] * t[j] - x[i] * t[j] - t[i] * x[j]) / d1;
                        }
                    }
                    else
                    {
                        ilast = gradcount;
                    }
                }
                else if (ilast < gradcount)
                {
                    // No progress: restart unless just restarted.
                    count = 0;
                    ilast = gradcount;
                }
            }
            else
            {
                // Uphill search direction: reset unless just reset.
                count = 0;
                if (ilast == gradcount) count = n;
                else ilast = gradcount;
            }
            if (iter >= maxit) break;
            if (gradcount - ilast > 2 * n) ilast = gradcount; // periodic restart
        }
        while (count != n || ilast != gradcount);
        return new OptimizationResult(b, fmin, funcount, iter < maxit ? 0 : 1);
    }
}
