import type { Programme } from "./programme.ts";

/**
 * The programme of the brief (`shared/seeds/000_…txt`): the Regione Toscana's thematic
 * seminars towards its 2021–2023 orientation document for international cooperation.
 * Seeded on first start so `npm start` opens onto a real programme.
 */
export const TOSCANA_2021: Programme = {
  id: "toscana-2021",
  title: "Un nuovo orientamento per la cooperazione della Regione Toscana",
  subtitle:
    "Incontri seminariali di approfondimento tematico verso il documento regionale di " +
    "orientamento per la cooperazione internazionale 2021–2023",
  period: { start: "2021-03", end: "2021-11" },
  place: "Firenze",
  mode: "In presenza o online, in base all'andamento della pandemia",
  beneficiaries: "Attori del sistema toscano della cooperazione",
  phases: [
    {
      number: 1,
      title: "Analisi sullo stato dell'arte",
      description: "Raccolta materiali: casi studio, esperienze, teoria.",
    },
    {
      number: 2,
      title: "Confronto con gli attori del sistema",
      description:
        "Seminari con domande chiave che stimolino un'analisi critica dell'esistente e " +
        "facciano emergere piste di lavoro innovative e sperimentali per il futuro.",
    },
    {
      number: 3,
      title: "Rielaborazione e redazione raccomandazioni",
      description:
        "Un documento scritto a supporto del documento di orientamento 2021–2023: nuovi temi " +
        "su cui lavorare e nuovi processi e metodologie di governance.",
    },
    {
      number: 4,
      title: "Discussione nella conferenza annuale toscana sulla cooperazione",
      description:
        "I documenti redatti sono presentati e discussi in plenaria, in una conferenza finale " +
        "aperta a tutti gli attori del sistema toscano di cooperazione e agli altri " +
        "stakeholder interessati.",
    },
  ],
  timeline: [
    {
      id: "analisi",
      label: "Analisi sullo stato dell'arte",
      start: "2021-03",
      end: "2021-04",
      phase: 1,
    },
    {
      id: "seminari",
      label: "Seminari con gli attori del sistema",
      start: "2021-04",
      end: "2021-10",
      phase: 2,
    },
    {
      id: "raccomandazioni",
      label: "Rielaborazione e redazione raccomandazioni",
      start: "2021-05",
      end: "2021-10",
      phase: 3,
    },
    {
      id: "documento",
      label: "Stesura del documento di orientamento",
      start: "2021-09",
      end: "2021-11",
      phase: 3,
    },
    {
      id: "conferenza",
      label: "Conferenza regionale della cooperazione",
      start: "2021-11",
      end: "2021-11",
      phase: 4,
    },
  ],
  seminars: [
    {
      id: "s1-governance",
      number: 1,
      title: "Presentazione del percorso, strumenti e sistema di governance",
      date: "2021-04-22",
      starterQuestions: [
        "Quali strumenti dell'attuale sistema di governance della cooperazione toscana funzionano, e quali no?",
        "Come possono gli attori del territorio partecipare alle decisioni in modo continuativo, non solo consultivo?",
        "Quali indicatori useremmo per dire, nel 2023, che la governance è migliorata?",
      ],
    },
    {
      id: "s2-economia-circolare",
      number: 2,
      title: "Economia circolare e cooperazione allo sviluppo",
      date: "2021-05-20",
      starterQuestions: [
        "Quali esperienze di economia circolare nei progetti di cooperazione toscani sono da replicare?",
        "Come coinvolgere le imprese toscane dell'economia circolare nei partenariati con i paesi partner?",
        "Quali ostacoli normativi o finanziari frenano progetti circolari nei paesi partner?",
      ],
    },
    {
      id: "s3-crisi-umanitarie",
      number: 3,
      title: "Crisi umanitarie",
      date: "2021-06-17",
      starterQuestions: [
        "Come collegare l'intervento d'emergenza e la cooperazione allo sviluppo di lungo periodo?",
        "Quale ruolo può avere una Regione nelle crisi umanitarie, accanto allo Stato e alle agenzie internazionali?",
      ],
    },
    {
      id: "s4-agenda-2030",
      number: 4,
      title: "Agenda 2030 e obiettivi della cooperazione",
      date: "2021-07-15",
      starterQuestions: [
        "Quali obiettivi dell'Agenda 2030 dovrebbero orientare le priorità della cooperazione toscana?",
        "Come misurare il contributo dei progetti regionali agli obiettivi di sviluppo sostenibile?",
        "Come rendere coerenti le politiche regionali (ambiente, economia, sanità) con gli obiettivi di cooperazione?",
      ],
    },
    {
      id: "s5-co-sviluppo",
      number: 5,
      title: "Co-sviluppo",
      date: "2021-09-16",
      starterQuestions: [
        "Come valorizzare le associazioni della diaspora come protagoniste, e non solo destinatarie, dei progetti?",
        "Quali strumenti servono per sostenere le iniziative economiche e sociali dei migranti nei paesi d'origine?",
      ],
    },
    {
      id: "s6-business-inclusivo",
      number: 6,
      title: "Business inclusivo",
      date: "2021-10-07",
      starterQuestions: [
        "A quali condizioni il coinvolgimento delle imprese rafforza gli obiettivi di sviluppo dei partner?",
        "Quali modelli di business inclusivo hanno funzionato in progetti che conoscete?",
        "Come garantire trasparenza e responsabilità nei partenariati tra pubblico, privato e società civile?",
      ],
    },
    {
      id: "s7-cooperazione-sanitaria",
      number: 7,
      title: "Cooperazione sanitaria e cooperazione allo sviluppo",
      date: "2021-10-28",
      starterQuestions: [
        "Cosa ci ha insegnato la pandemia sulla cooperazione sanitaria della Toscana?",
        "Come integrare il sistema sanitario regionale nei progetti di cooperazione allo sviluppo?",
      ],
    },
  ],
  conference: {
    title: "Conferenza regionale della cooperazione internazionale",
    date: "2021-11-25",
  },
  draftChapters: [
    "Introduzione e metodo",
    "Strumenti e governance",
    "Economia circolare",
    "Crisi umanitarie",
    "Agenda 2030",
    "Co-sviluppo",
    "Business inclusivo",
    "Cooperazione sanitaria",
    "Conclusioni e prossimi passi",
  ],
};
