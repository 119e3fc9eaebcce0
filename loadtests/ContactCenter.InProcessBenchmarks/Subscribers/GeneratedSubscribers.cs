using System.Globalization;

namespace ContactCenter.Benchmarks.Subscribers;

/// <summary>
/// Subscriber master data as a CSV stream, generated line by line as the import reads it: 40 million rows
/// need no 3 GB file. Numbers are +8613800000000 upwards; a fifth of subscribers are VIP (the reference
/// center's share); brands and the 13 cities of Jiangsu are spread evenly.
/// </summary>
public sealed class GeneratedSubscribers(long rows) : TextReader
{
    public static readonly string[] Brands = ["GoTone", "M-Zone", "Easy-own"];

    public static readonly (string City, string Region)[] Cities =
    [
        ("Nanjing", "nanjing"), ("Suzhou", "nanjing"), ("Wuxi", "nanjing"), ("Changzhou", "huaian"), ("Zhenjiang", "huaian"),
        ("Huai'an", "huaian"), ("Yangzhou", "huaian"), ("Taizhou", "huaian"), ("Nantong", "huaian"), ("Yancheng", "huaian"),
        ("Lianyungang", "huaian"), ("Xuzhou", "huaian"), ("Suqian", "huaian"),
    ];

    private long _line = -1;

    public static string Number(long index) => "+86" + (13_800_000_000L + index).ToString(CultureInfo.InvariantCulture);

    public override string? ReadLine()
    {
        var i = _line++;
        if (i < 0)
        {
            return "number,brand,vip,home_city,region,language,name";
        }

        if (i >= rows)
        {
            return null;
        }

        var (city, region) = Cities[i % Cities.Length];
        return string.Create(CultureInfo.InvariantCulture, $"{Number(i)},{Brands[i % Brands.Length]},{(i % 5 == 0 ? "true" : "false")},{city},{region},zh,Subscriber {i}");
    }

    public override int Peek() => _line < rows ? 'x' : -1;

    public override int Read() => throw new NotSupportedException("read by line");
}
