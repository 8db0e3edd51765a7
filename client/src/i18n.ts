import i18next from "i18next";
import { innerQuotes, withDateArticle } from "@percorso/schema";
import { initReactI18next } from "react-i18next";
import { en } from "./locales/en.ts";
import { it } from "./locales/it.ts";

export const LANGUAGES = ["it", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
const KEY = "percorso.language";

/** Italian first; the English switch is remembered on the device. */
export function initI18n(): typeof i18next {
  const stored = localStorage.getItem(KEY);
  const lng: Language = stored === "en" ? "en" : "it";
  void i18next.use(initReactI18next).init({
    resources: { it: { translation: it }, en: { translation: en } },
    lng,
    fallbackLng: "it",
    interpolation: { escapeValue: false },
  });
  addFormatters(i18next);
  document.documentElement.lang = lng;
  return i18next;
}

/**
 * The formats the locales name (`{{time, onDate}}`, `{{label, inner}}`), by the same rules as
 * the exports' (packages/schema): Italian's article before a date ("l'8 dicembre", "il 25"),
 * quotes inside a quoted name one level down.
 */
export function addFormatters(instance: typeof i18next): void {
  instance.services.formatter?.add("onDate", (value: unknown, lang?: string) =>
    lang === "en" ? String(value) : withDateArticle(String(value)),
  );
  instance.services.formatter?.add("inner", (value: unknown) => innerQuotes(String(value)));
}

export function setLanguage(lng: Language): void {
  localStorage.setItem(KEY, lng);
  document.documentElement.lang = lng;
  void i18next.changeLanguage(lng);
}

/** Dates as the brief writes them: "22 aprile 2021". */
export function formatDate(iso: string, lng: string): string {
  const date = new Date(`${iso}T12:00:00`);
  return new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "it-IT", {
    day: "numeric",
    month: "long",
    year: "numeric",
  }).format(date);
}

export function formatMonth(yyyyMm: string, lng: string, style: "long" | "short" = "long"): string {
  const date = new Date(`${yyyyMm}-15T12:00:00`);
  return new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "it-IT", {
    month: style,
    ...(style === "long" ? { year: "numeric" } : {}),
  }).format(date);
}

/** A moment as the desk shows it: "12 maggio 2021, 10:02". */
export function formatDateTime(ms: number, lng: string): string {
  return new Intl.DateTimeFormat(lng === "en" ? "en-GB" : "it-IT", {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(ms));
}
