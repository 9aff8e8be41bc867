-- Person search (searchPersons, the privacy officer's findPersons) looks a name up
-- in one municipality, but the gram index of 0006 held every municipality's
-- grams under the same keys: a search read the posting lists of the whole
-- prefecture (5,600 entries for さとう at the tokyo size, 62 municipalities) and
-- then dropped the other municipalities' rows, so it slowed as municipalities
-- joined (3 to 10 ms a search at that size). Here each gram is keyed with its
-- municipality, so a search reads only its own municipality's entries
-- (0.1 to 0.9 ms at that size).
CREATE FUNCTION municipal_grams(municipality uuid, grams text[]) RETURNS text[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array(SELECT municipality::text || g FROM unnest(grams) AS g);

CREATE INDEX person_search_by_municipality ON person USING gin (municipal_grams(municipality_id, search_grams));
DROP INDEX person_search;
