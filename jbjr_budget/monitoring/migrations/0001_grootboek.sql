-- Grootboek monitoring JBJR, schemaversie 1: aanleveringen en hun cijfers.
CREATE TABLE aanlevering (
    id INTEGER PRIMARY KEY,
    bestand_hash TEXT NOT NULL UNIQUE,
    gi TEXT NOT NULL,
    regio TEXT NOT NULL,
    periode TEXT NOT NULL,
    sjabloonversie TEXT NOT NULL,
    bronpad TEXT NOT NULL,
    geimporteerd_op TEXT NOT NULL,
    actueel INTEGER NOT NULL CHECK (actueel IN (0, 1))
);
CREATE UNIQUE INDEX aanlevering_een_actueel ON aanlevering (gi, regio, periode) WHERE actueel = 1;

CREATE TABLE volume (
    aanlevering_id INTEGER NOT NULL REFERENCES aanlevering (id),
    product TEXT NOT NULL,
    gemeente TEXT NOT NULL,
    stand_begin INTEGER NOT NULL,
    instroom INTEGER NOT NULL,
    uitstroom INTEGER NOT NULL,
    stand_einde INTEGER NOT NULL,
    gem_duur_maanden REAL,
    wachtenden INTEGER NOT NULL,
    gem_wachttijd_dagen REAL,
    PRIMARY KEY (aanlevering_id, product, gemeente)
);

CREATE TABLE inspectie (
    aanlevering_id INTEGER NOT NULL REFERENCES aanlevering (id),
    gemeente TEXT NOT NULL,
    zaken INTEGER NOT NULL,
    binnen_5_werkdagen INTEGER NOT NULL,
    binnen_6_weken INTEGER NOT NULL,
    binnen_3_maanden INTEGER NOT NULL,
    PRIMARY KEY (aanlevering_id, gemeente)
);

CREATE TABLE personeel (
    aanlevering_id INTEGER PRIMARY KEY REFERENCES aanlevering (id),
    fte REAL NOT NULL,
    caseload REAL NOT NULL,
    verloop_pct REAL NOT NULL,
    verzuim_pct REAL NOT NULL,
    vacatures REAL NOT NULL,
    instroom INTEGER NOT NULL,
    uitstroom INTEGER NOT NULL
);

CREATE TABLE financien (
    aanlevering_id INTEGER PRIMARY KEY REFERENCES aanlevering (id),
    omzet_centen INTEGER NOT NULL,
    kosten_centen INTEGER NOT NULL,
    resultaat_centen INTEGER NOT NULL,
    eigen_vermogen_centen INTEGER NOT NULL,
    weerstandsvermogen_pct REAL NOT NULL,
    status TEXT NOT NULL
);

CREATE TABLE toelichting (
    aanlevering_id INTEGER NOT NULL REFERENCES aanlevering (id),
    sectie TEXT NOT NULL,
    tekst TEXT,
    PRIMARY KEY (aanlevering_id, sectie)
);
