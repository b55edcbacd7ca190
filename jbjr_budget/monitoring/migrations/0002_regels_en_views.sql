-- Schemaversie 2: aantal cijferregels per aanlevering (controle op volledigheid) en views op de actuele stand.
ALTER TABLE aanlevering ADD COLUMN regels INTEGER NOT NULL DEFAULT 0;
UPDATE aanlevering SET regels =
    (SELECT count(*) FROM volume WHERE aanlevering_id = aanlevering.id)
  + (SELECT count(*) FROM inspectie WHERE aanlevering_id = aanlevering.id)
  + (SELECT count(*) FROM personeel WHERE aanlevering_id = aanlevering.id)
  + (SELECT count(*) FROM financien WHERE aanlevering_id = aanlevering.id)
  + (SELECT count(*) FROM toelichting WHERE aanlevering_id = aanlevering.id);

CREATE VIEW actueel_volume AS
    SELECT a.gi, a.regio, a.periode, v.* FROM volume v JOIN aanlevering a ON a.id = v.aanlevering_id WHERE a.actueel = 1;
CREATE VIEW actueel_inspectie AS
    SELECT a.gi, a.regio, a.periode, i.* FROM inspectie i JOIN aanlevering a ON a.id = i.aanlevering_id WHERE a.actueel = 1;
CREATE VIEW actueel_personeel AS
    SELECT a.gi, a.regio, a.periode, p.* FROM personeel p JOIN aanlevering a ON a.id = p.aanlevering_id WHERE a.actueel = 1;
CREATE VIEW actueel_financien AS
    SELECT a.gi, a.regio, a.periode, f.* FROM financien f JOIN aanlevering a ON a.id = f.aanlevering_id WHERE a.actueel = 1;
CREATE VIEW actueel_toelichting AS
    SELECT a.gi, a.regio, a.periode, t.* FROM toelichting t JOIN aanlevering a ON a.id = t.aanlevering_id WHERE a.actueel = 1;
