using System.Globalization;

namespace SalesFlow.Core.Alerts;

/// <summary>
/// Dates in staff e-mails, in English or German, spelled out here: the culture data behind "ddd"/"MMM" differs between
/// ICU versions (and is absent in invariant-globalization deployments), and an alert must read the same everywhere.
/// </summary>
public static class StaffDates
{
    private static readonly string[] DaysEn = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] DaysDe = ["Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"];
    private static readonly string[] MonthsEn = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
    private static readonly string[] MonthsDe = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"];

    /// <summary>"Tue 8 Dec 2026" / "Di., 8. Dez. 2026".</summary>
    public static string Short(DateOnly day, bool german) => german
        ? $"{DaysDe[(int)day.DayOfWeek][..2]}., {day.Day}. {Abbreviated(MonthsDe[day.Month - 1])} {day.Year}"
        : $"{DaysEn[(int)day.DayOfWeek][..3]} {day.Day} {MonthsEn[day.Month - 1][..3]} {day.Year}";

    /// <summary>"Thursday 3 December 2026" / "Donnerstag, 3. Dezember 2026".</summary>
    public static string Long(DateOnly day, bool german) => german
        ? $"{DaysDe[(int)day.DayOfWeek]}, {day.Day}. {MonthsDe[day.Month - 1]} {day.Year}"
        : $"{DaysEn[(int)day.DayOfWeek]} {day.Day} {MonthsEn[day.Month - 1]} {day.Year}";

    public static string Time(DateTimeOffset local) => local.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>German month abbreviations: up to four letters with a dot ("Dez.", "März", "Juni").</summary>
    private static string Abbreviated(string month) => month.Length <= 4 ? month : month[..3] + ".";
}
