using System.Text;
using ContactCenter.SipEdge.Sip.Messages;

namespace ContactCenter.SipEdge.Tests.Sip;

/// <summary>
/// Mutations of real messages (bytes flipped, cut, duplicated, spliced; random bytes) fed to the parser and the
/// stream framer: every one either reads as a message or is refused with a reason, and nothing throws.
/// </summary>
public sealed class SipParserFuzzTests
{
    private static readonly string[] Seeds =
    [
        "INVITE sip:10086@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK1\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:10086@c>\r\nCall-ID: x\r\nCSeq: 1 INVITE\r\nContent-Type: application/sdp\r\nContent-Length: 20\r\n\r\nv=0\r\nm=audio 4000 RTP",
        "SIP/2.0 200 OK\r\nv: SIP/2.0/TCP [::1]:5060;branch=z9hG4bK2;received=::1\r\nf: \"A, B\" <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\ni: y\r\nCSeq: 2 BYE\r\nl: 0\r\n\r\n",
        "REGISTER sip:edge SIP/2.0\nVia: SIP/2.0/UDP h;branch=z9hG4bK3\nFrom: <sip:1001@edge>;tag=9\nTo: <sip:1001@edge>\nCall-ID: r\nCSeq: 5 REGISTER\nAuthorization: Digest username=\"1001\", realm=\"r\", nonce=\"1.2\", uri=\"sip:edge\", response=\"00\"\nContact: <sip:1001@1.2.3.4:5062>;expires=60\n\n",
    ];

    [Fact]
    public void NoMutationOfARealMessageMakesTheParserThrow()
    {
        var random = new Random(3261);
        var read = 0;
        var refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = Mutate(Encoding.UTF8.GetBytes(Seeds[i % Seeds.Length]), random);
            var outcome = SipParser.Parse(bytes);
            Assert.True(outcome.Message is not null ^ outcome.Error is not null, "exactly one of a message and a reason");
            if (outcome.Message is { } message)
            {
                read++;
                // What was read can be used: the fields a transaction needs, and the message written out again.
                _ = message.CSeq;
                _ = message.TopVia;
                _ = message.ToBytes();
            }
            else
            {
                refused++;
            }

            _ = SipParser.FrameLength(bytes);
        }

        Assert.True(read > 1_000 && refused > 1_000, $"the mutations should both keep and break messages: {read} read, {refused} refused");
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        for (var n = random.Next(0, 4); n > 0 && bytes.Count > 0; n--)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 40), bytes.Count - at));
                    break;
                case 2:
                    bytes.InsertRange(at, bytes.GetRange(at, Math.Min(random.Next(1, 60), bytes.Count - at)));
                    break;
                case 3:
                    bytes.Insert(at, (byte)"\r\n:;<>\",= @"[random.Next(11)]);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    var junk = new byte[random.Next(1, 32)];
                    random.NextBytes(junk);
                    bytes.InsertRange(at, junk);
                    break;
            }
        }

        return [.. bytes];
    }
}
