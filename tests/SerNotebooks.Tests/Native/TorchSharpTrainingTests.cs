using SerNotebooks.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace SerNotebooks.Tests.Native;

public class TorchSharpTrainingTests
{
    [Fact]
    public void ForwardBackwardAndOneOptimiserStepLowerTheLoss()
    {
        TorchRuntime.EnsureLoadable();
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        var model = nn.Sequential(
            ("hidden", nn.Linear(4, 8)),
            ("relu", nn.ReLU()),
            ("out", nn.Linear(8, 1)));
        // A fixed batch with a learnable target: y = x0 - 2 x1 + 0.5 x3.
        var inputs = torch.tensor(Enumerable.Range(0, 64).Select(i => (float)Math.Sin(i * 0.37)).ToArray(), 16, 4);
        var targets = (inputs[.., 0] - 2 * inputs[.., 1] + 0.5f * inputs[.., 3]).unsqueeze(1);
        var optimiser = torch.optim.SGD(model.parameters(), learningRate: 0.05);

        optimiser.zero_grad();
        var loss = nn.functional.mse_loss(model.forward(inputs), targets);
        loss.backward();

        var parameters = model.named_parameters().ToList();
        Assert.Equal(4, parameters.Count);
        foreach (var (name, parameter) in parameters)
        {
            var gradient = parameter.grad;
            Assert.True(gradient is not null, $"{name} has no gradient");
            Assert.Equal(parameter.shape, gradient.shape);
            Assert.True(torch.isfinite(gradient).all().item<bool>(), $"{name} has a non-finite gradient");
            Assert.True(gradient.abs().sum().item<float>() > 0, $"{name} has an all-zero gradient");
        }

        var before = loss.item<float>();
        optimiser.step();
        using (torch.no_grad())
        {
            var after = nn.functional.mse_loss(model.forward(inputs), targets).item<float>();
            Assert.True(float.IsFinite(before) && before > 0, $"initial loss {before}");
            Assert.True(after < before, $"loss went from {before} to {after} after one SGD step");
        }
    }
}
