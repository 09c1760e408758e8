using RetentionAnalytics.Core.Customers;

namespace RetentionAnalytics.Tests.Customers;

public sealed class IdentifierMaskTests
{
    [Theory]
    [InlineData("13812345678", "138****5678")]
    [InlineData("8613812345678", "861******5678")]
    [InlineData("1381234", "1*****4")]
    [InlineData("12345", "1***5")]
    [InlineData("123", "***")]
    [InlineData("", "")]
    [InlineData(null, null)]
    public void Phone_numbers_keep_the_prefix_and_the_last_four_digits(string? phone, string? masked) =>
        Assert.Equal(masked, IdentifierMask.Phone(phone));

    [Theory]
    [InlineData("460021234583728", "46002******3728")]
    [InlineData("46002123", "46****23")]
    public void Imsis_keep_country_and_network_code_and_the_last_four_digits(string imsi, string masked) =>
        Assert.Equal(masked, IdentifierMask.Imsi(imsi));

    [Theory]
    [InlineData("330104198701155763", "3301**********5763")]
    [InlineData("33010419870115576X", "3301**********576X")]
    [InlineData("330104870115576", "3301*******5576")]
    public void Id_numbers_keep_the_region_and_the_last_four_characters(string id, string masked)
    {
        Assert.Equal(masked, IdentifierMask.IdNumber(id));
    }

    [Theory]
    [InlineData("叶桂英", "叶*英")]
    [InlineData("陈梦", "陈*")]
    [InlineData("欧阳明月", "欧**月")]
    [InlineData("王", "*")]
    [InlineData("John Smith", "J*** S****")]
    [InlineData(" Anna ", "A**a")]
    [InlineData("𠀋𠀌", "𠀋*")]
    public void Names_keep_the_family_name_or_the_initials(string name, string masked) =>
        Assert.Equal(masked, IdentifierMask.Name(name));

    [Fact]
    public void A_masked_value_never_equals_the_value_and_keeps_its_length()
    {
        foreach (var (field, value) in new[] { (IdentifierField.Msisdn, "13912345678"), (IdentifierField.Imsi, "460001234567890"),
                     (IdentifierField.IdNumber, "330104198701155763"), (IdentifierField.CustomerName, "张三丰") })
        {
            var masked = IdentifierMask.Mask(field, value)!;
            Assert.NotEqual(value, masked);
            Assert.Equal(value.Length, masked.Length);
            Assert.Contains('*', masked);
        }
    }
}
