using ContactCenter.Agents;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace ContactCenter.Tests.Agents;

/// <summary>An agent's refusal crosses silos: the API that asked may run on another silo than the agent.</summary>
[Collection(ClusterCollection.Name)]
public sealed class AgentStateExceptionTests(ClusterFixture fixture)
{
    [Fact]
    public void AnAgentsRefusalSurvivesTheTripBetweenSilos()
    {
        var serializer = fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredService<Serializer>();

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(new AgentStateException("an agent who is LoggedOut cannot go not ready")));

        Assert.IsType<AgentStateException>(copy);
        Assert.Equal("an agent who is LoggedOut cannot go not ready", copy.Message);
    }
}
