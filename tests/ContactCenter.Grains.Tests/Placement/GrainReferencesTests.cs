using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Placement;

/// <summary>The hot path's grain references are the factory's: the same grain, the same interface, for every interface of a grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainReferencesTests(ClusterFixture fixture)
{
    [Fact]
    public void AReferenceIsTheFactorysForEachInterfaceAndKey()
    {
        var grains = fixture.Grains;

        foreach (var key in new[] { "billing", "complaints" })
        {
            Same(grains.GetGrain<IQueueGrain>(key), grains.ReferenceTo<IQueueGrain>(key));
            Same(grains.GetGrain<IQueuePeer>(key), grains.ReferenceTo<IQueuePeer>(key));
            Same(grains.GetGrain<IAgentGrain>(key), grains.ReferenceTo<IAgentGrain>(key));
            Same(grains.GetGrain<ICallGrain>(key), grains.ReferenceTo<ICallGrain>(key));
        }

        Assert.Equal(grains.ReferenceTo<IQueueGrain>("billing").GetGrainId(), grains.ReferenceTo<IQueuePeer>("billing").GetGrainId());
    }

    [Fact]
    public async Task AReferenceReachesItsGrain()
    {
        var queue = fixture.Grains.ReferenceTo<IQueueGrain>($"reference-{Guid.NewGuid():N}");

        Assert.Empty((await queue.GetStatusAsync()).Waiting);
    }

    private static void Same<TGrain>(TGrain expected, TGrain actual) where TGrain : IGrainWithStringKey
    {
        Assert.IsType(expected.GetType(), actual);
        Assert.Equal(expected.GetGrainId(), actual.GetGrainId());
        Assert.Equal(((GrainReference)(object)expected).InterfaceType, ((GrainReference)(object)actual).InterfaceType);
    }
}
