namespace SalesFlow.Core.Qualification;

/// <summary>How to talk to a person of a DISC style: the style in a phrase, what to do and avoid, and the pace.</summary>
public sealed record DiscAdvice(string? Primary, string Language, string Style, IReadOnlyList<string> Do, IReadOnlyList<string> Dont, string Pace);

/// <summary>The classic DISC guidance for sellers, in English and German; a balanced default while no style leads.</summary>
public static class DiscAdvisor
{
    public static DiscAdvice For(string? primary, bool german) => (primary, german) switch
    {
        ("D", false) => new("D", "en", "Direct and results-first: lead with the outcome, the price and the decision.",
            ["Get to the point in the first sentence", "Give two clear options and let them choose", "Talk results, ROI and time saved"],
            ["Small talk or long stories", "Hedging or over-explaining", "Taking decisions away from them"], "fast"),
        ("D", true) => new("D", "de", "Direkt und ergebnisorientiert: zuerst Ergebnis, Preis und Entscheidung.",
            ["Im ersten Satz auf den Punkt kommen", "Zwei klare Optionen anbieten und wählen lassen", "Über Ergebnisse, ROI und gesparte Zeit sprechen"],
            ["Smalltalk oder lange Geschichten", "Ausweichen oder zu viel erklären", "Ihnen Entscheidungen abnehmen"], "schnell"),
        ("I", false) => new("I", "en", "Warm and enthusiastic: build the relationship, share the vision and stories.",
            ["Be friendly and personal", "Use success stories and testimonials", "Show what it will feel like once it works"],
            ["Walls of figures and detail", "A cold, formal tone", "Rushing past their ideas"], "lively"),
        ("I", true) => new("I", "de", "Herzlich und begeistert: Beziehung aufbauen, Vision und Geschichten teilen.",
            ["Freundlich und persönlich sein", "Erfolgsgeschichten und Referenzen nutzen", "Zeigen, wie es sich anfühlt, wenn es läuft"],
            ["Zahlenkolonnen und Details", "Ein kühler, förmlicher Ton", "Über ihre Ideen hinweggehen"], "lebhaft"),
        ("S", false) => new("S", "en", "Calm and reassuring: safety, support and a step-by-step plan.",
            ["Explain the steps and who supports them", "Give time to think and involve their team", "Stress reliability and who supports them after the start"],
            ["Pressure or artificial deadlines", "Sudden changes of plan", "Pushing for a decision in one call"], "steady"),
        ("S", true) => new("S", "de", "Ruhig und vertrauensvoll: Sicherheit, Unterstützung und ein Plan in Schritten.",
            ["Die Schritte erklären und wer unterstützt", "Bedenkzeit geben und das Team einbeziehen", "Verlässlichkeit und Betreuung nach dem Start betonen"],
            ["Druck oder künstliche Fristen", "Plötzliche Planänderungen", "Eine Entscheidung im ersten Gespräch erzwingen"], "ruhig"),
        ("C", false) => new("C", "en", "Precise and factual: data, specifications and proof.",
            ["Answer questions exactly, with numbers and sources", "Send written details and comparisons", "Be accurate about limits and terms"],
            ["Exaggeration or vague claims", "Emotional appeals", "Skipping their questions"], "measured"),
        ("C", true) => new("C", "de", "Präzise und sachlich: Daten, Spezifikationen und Belege.",
            ["Fragen genau beantworten, mit Zahlen und Quellen", "Details und Vergleiche schriftlich schicken", "Grenzen und Konditionen korrekt benennen"],
            ["Übertreibungen oder vage Versprechen", "Emotionale Appelle", "Ihre Fragen übergehen"], "bedacht"),
        (_, false) => new(null, "en", "No clear style yet: stay balanced, ask open questions and mirror how they write.",
            ["Ask one open question at a time", "Match their message length and tone", "Offer both a short summary and details"],
            ["Assuming a style from one message", "Pressure"], "moderate"),
        (_, true) => new(null, "de", "Noch kein klarer Stil: ausgewogen bleiben, offene Fragen stellen und ihren Schreibstil spiegeln.",
            ["Eine offene Frage nach der anderen stellen", "Länge und Ton ihrer Nachrichten aufgreifen", "Kurze Zusammenfassung und Details anbieten"],
            ["Aus einer Nachricht auf einen Stil schließen", "Druck"], "mittel"),
    };
}
