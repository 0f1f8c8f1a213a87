using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SerNotebooks.Training;

/// <summary>
/// Starts Adam afresh for some parameters of an optimizer: their step count and both moment estimates back to zero, as
/// for a parameter the optimizer has never stepped. The clustering task's head is re-initialised at every re-clustering
/// (DeepEmoCluster's classifier is new each time); without this its new weights would move with the old head's moments.
/// </summary>
public static class AdamMoments
{
    /// <summary>Resets <paramref name="optimizer"/>'s state of every parameter in <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">The optimizer is not Adam, or a parameter is not one of its parameters.</exception>
    public static void Reset(optim.Optimizer optimizer, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(parameters);
        if (optimizer is not Adam adam)
        {
            throw new ArgumentException($"only Adam's moments can be reset, not {optimizer.GetType().Name}'s", nameof(optimizer));
        }
        // TorchSharp 0.107: state_dict() lists the live per-parameter states in the order of the optimizer's parameters.
        var states = adam.state_dict().State;
        var index = adam.parameters().Select((p, i) => (p.Handle, i)).ToDictionary(p => p.Handle, p => p.i);
        foreach (var parameter in parameters)
        {
            if (!index.TryGetValue(parameter.Handle, out var i))
            {
                throw new ArgumentException("a parameter to reset is not one of the optimizer's", nameof(parameters));
            }
            var state = (Adam.State)states[i];
            state.step = 0;
            state.exp_avg.zero_();
            state.exp_avg_sq.zero_();
            state.max_exp_avg_sq?.zero_();
        }
    }
}
