import { dictionaries, useTranslations } from '../i18n/translator.ts';
import type { Language } from '../i18n/languages.ts';
import type { SpeakerViewStrings } from './speaker-view.ts';

/**
 * The speaker view's words in a language, from locales/{lang}.json (keys speaker.*), at build time
 * (kept apart from src/lib/speaker-view.ts so the browser bundle carries no dictionary).
 * @param lang the deck's language
 * @param lessonTitle the lesson's title, for the window title
 */
export function speakerViewStrings(lang: Language, lessonTitle: string): SpeakerViewStrings {
  const t = useTranslations(lang);
  return {
    lang,
    title: t('speaker.title', { title: lessonTitle }),
    loading: t('speaker.loading'),
    upcoming: t('speaker.upcoming'),
    time: t('speaker.time'),
    reset: t('speaker.reset'),
    pacing: t('speaker.pacing'),
    notes: t('speaker.notes'),
    layoutChosen: dictionaries[lang]['speaker.layoutChosen'],
    layouts: {
      default: t('speaker.layoutDefault'),
      wide: t('speaker.layoutWide'),
      tall: t('speaker.layoutTall'),
      notesOnly: t('speaker.layoutNotesOnly'),
    },
    currentSlide: t('speaker.currentSlide'),
    upcomingSlide: t('speaker.upcomingSlide'),
    crossOrigin: t('speaker.crossOrigin'),
    connectionError: t('speaker.connectionError'),
  };
}
