using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Tests.Media;

public sealed class G711Tests
{
    [Theory]
    [InlineData(G711Law.MuLaw)]
    [InlineData(G711Law.ALaw)]
    public void EveryCodeDecodesAndEncodesBackToItself(G711Law law)
    {
        for (var code = 0; code < 256; code++)
        {
            var sample = G711.Decode(law, (byte)code);
            var again = G711.Encode(law, sample);
            // mu-law has two codes for zero (0x7F and 0xFF); every other code is its own.
            Assert.True(again == code || (law == G711Law.MuLaw && sample == 0), $"{law} code {code:X2} -> {sample} -> {again:X2}");
        }
    }

    [Theory]
    [InlineData(G711Law.MuLaw)]
    [InlineData(G711Law.ALaw)]
    public void CompandingKeepsASampleWithinItsSegmentsStep(G711Law law)
    {
        foreach (var sample in new short[] { 0, 1, -1, 100, -100, 1000, -1000, 8000, -8000, 30000, -30000, short.MaxValue, short.MinValue })
        {
            var back = G711.Decode(law, G711.Encode(law, sample));
            // The step grows with the magnitude: about 1/16 of it, at least a few units near zero.
            Assert.True(Math.Abs(back - sample) <= Math.Max(16, Math.Abs((int)sample) / 14), $"{law}: {sample} came back as {back}");
        }
    }

    [Fact]
    public void SilenceIsTheCodeOfZero()
    {
        Assert.Equal(0, G711.Decode(G711Law.MuLaw, G711.Silence(G711Law.MuLaw)));
        Assert.InRange(G711.Decode(G711Law.ALaw, G711.Silence(G711Law.ALaw)), -8, 8);
    }

    [Fact]
    public void TranscodingBetweenTheLawsKeepsTheSound()
    {
        var codes = new byte[256];
        for (var i = 0; i < 256; i++)
        {
            codes[i] = G711.Encode(G711Law.MuLaw, (short)((i - 128) * 200));
        }

        var transcoded = codes.ToArray();
        G711.Transcode(G711Law.MuLaw, G711Law.ALaw, transcoded);
        for (var i = 0; i < 256; i++)
        {
            var original = G711.Decode(G711Law.MuLaw, codes[i]);
            Assert.InRange(G711.Decode(G711Law.ALaw, transcoded[i]) - original, -Math.Max(16, Math.Abs((int)original) / 10), Math.Max(16, Math.Abs((int)original) / 10));
        }
    }
}
