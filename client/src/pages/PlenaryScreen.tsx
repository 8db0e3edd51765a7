import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { REACTIONS, draftRoots } from "@percorso/schema";
import { DraftGate, type DraftView } from "../conference/DraftGate.tsx";
import { Blocks, DraftTextProvider, RunRegistry } from "../conference/DraftText.tsx";
import { ByKind, TallyBar, VerdictBadge, useTally } from "../conference/Reactions.tsx";
import { InlineRedline, baseTextOf, bySupport } from "../conference/Suggestions.tsx";
import { useAgreement } from "../conference/useAgreement.ts";
import { usePlenary } from "../conference/usePlenary.ts";
import { readPlenaryJoinUrl } from "../conference/plenaryRoot.ts";
import { wordDiff } from "../conference/wordDiff.ts";
import { usePresence, useYRead } from "../lib/useY.ts";
import { useQrCode } from "../lib/useQrCode.ts";
import "../conference/conference.css";

/** How many open suggestions the screen shows, the most supported first. */
const TOP_SUGGESTIONS = 3;

/**
 * `/programmi/:programmeId/plenaria?token=<observer invite>`: the plenary's projector, at
 * 1920×1080 for the back of the hall. Read-only, no controls: the section being presented in
 * large type, where the room stands on it — live totals and by kind of actor — its most
 * supported open suggestions, and the QR code to join. Changes arrive calmly (a fade), and
 * without motion for those who ask for none.
 */
export function PlenaryScreen() {
  const { t } = useTranslation();
  return (
    <DraftGate pageName={t("plenary.screen.name")}>{(view) => <Screen {...view} />}</DraftGate>
  );
}

function Screen({ session, identity, programme }: DraftView) {
  const { t } = useTranslation();
  const doc = session.doc;
  const state = usePlenary(doc);
  const agreement = useAgreement(identity.token, programme.id, doc);
  const plenary = useMemo(() => draftRoots(doc).plenary, [doc]);
  const joinUrl = useYRead(plenary, () => readPlenaryJoinUrl(doc));
  const qr = useQrCode(joinUrl, 440);
  const present = usePresence(session.provider.awareness).filter((u) => u.role !== "observer");
  const [registry] = useState(() => new RunRegistry());
  const section =
    state.outline.sections.find((s) => s.key === state.spotlight && !s.duplicate) ?? null;
  const tally = useTally(session, section?.key ?? "");
  const total = tally.agree + tally.disagree + tally.abstain;
  const sectionAgreement = section ? agreement?.get(section.key) : undefined;
  const top = section
    ? state.suggestions
        .filter((s) => s.section === section.key && s.status === "open")
        .sort(bySupport)
        .slice(0, TOP_SUGGESTIONS)
    : [];
  const settings = useMemo(
    () => ({ registry, highlights: new Map(), onCitation: () => {}, onPassage: () => {} }),
    [registry],
  );

  useEffect(() => {
    document.body.classList.add("plenary-body");
    return () => document.body.classList.remove("plenary-body");
  }, []);

  return (
    <div className="plenary">
      <header className="plenary-top">
        <p className="plenary-conference">{programme.conference.title}</p>
        <p className="plenary-present" aria-live="off">
          {t("presence.count", { count: present.length })}
        </p>
      </header>
      <main className="plenary-main" id="main">
        <div className="plenary-left">
          {section ? (
            <div className="plenary-section" key={section.key}>
              <p className="plenary-eyebrow">{t("plenary.presentingNow")}</p>
              <h1 className="plenary-title">{section.title}</h1>
              <DraftTextProvider value={settings}>
                <div className="plenary-text">
                  <Blocks blocks={section.blocks} />
                </div>
              </DraftTextProvider>
            </div>
          ) : (
            <div className="plenary-section plenary-idle">
              <h1 className="plenary-title">{state.outline.title ?? programme.title}</h1>
              <p className="plenary-waiting">{t("plenary.screen.waiting")}</p>
            </div>
          )}
          {qr && joinUrl && (
            <div className="plenary-join">
              <img src={qr} alt={t("plenary.screen.qrAlt")} width={220} height={220} />
              <div>
                <p className="plenary-join-title">{t("plenary.screen.scanToJoin")}</p>
                <p className="plenary-join-url">{joinUrl.replace(/^https?:\/\//, "")}</p>
              </div>
            </div>
          )}
        </div>
        <aside className="plenary-side" aria-label={t("plenary.screen.sideLabel")}>
          {section && (
            <>
              <section className="plenary-panel" aria-labelledby="plenary-totals">
                <h2 id="plenary-totals" className="plenary-panel-title">
                  {t("plenary.screen.totals")} <VerdictBadge verdict={sectionAgreement?.verdict} />
                </h2>
                <dl className="plenary-totals">
                  {REACTIONS.map((reaction) => (
                    <div key={reaction} className={`plenary-total total-${reaction}`}>
                      <dt>{t(`plenary.reactions.${reaction}`)}</dt>
                      <dd data-count={reaction}>{tally[reaction]}</dd>
                    </div>
                  ))}
                </dl>
                <TallyBar tally={tally} />
                <p className="plenary-note">{t("plenary.reactions.total", { count: total })}</p>
              </section>
              <section className="plenary-panel" aria-labelledby="plenary-kinds">
                <h2 id="plenary-kinds" className="plenary-panel-title">
                  {t("plenary.reactions.byKind")}
                </h2>
                <ByKind agreement={sectionAgreement} />
              </section>
              <section className="plenary-panel" aria-labelledby="plenary-suggestions">
                <h2 id="plenary-suggestions" className="plenary-panel-title">
                  {t("plenary.screen.suggestions")}
                </h2>
                {top.length === 0 ? (
                  <p className="plenary-note">{t("plenary.screen.noSuggestions")}</p>
                ) : (
                  <ol className="plenary-suggestions">
                    {top.map((suggestion) => (
                      <li key={suggestion.id} data-suggestion-id={suggestion.id}>
                        <InlineRedline
                          changes={wordDiff(
                            baseTextOf(suggestion, state.passages.get(suggestion.id)),
                            suggestion.proposedText,
                          )}
                        />
                        <p className="plenary-note">
                          {t("plenary.suggestions.support", { count: suggestion.support })} ·{" "}
                          {t("plenary.suggestions.objections", { count: suggestion.objections })}
                        </p>
                      </li>
                    ))}
                  </ol>
                )}
              </section>
            </>
          )}
        </aside>
      </main>
    </div>
  );
}
