-- 連携団体: the groups a prefecture's centre signs agreements (協定) with
-- (family groups, peer groups, NPOs). The agreement is data of the
-- prefecture's profile and sits on the prefecture's own organisation row.
ALTER TABLE organization ADD COLUMN partner_agreement jsonb;

-- Each partner group serving a municipality is mirrored into that
-- municipality's organisations, so that referrals, consent, case access, the
-- figures and disclosure work with it like with any organisation. A mirror
-- points to its source (the prefecture's tenant and organisation); the
-- prefecture's profile stays the single source, and the importer re-syncs the
-- mirrors whenever either profile is imported. No foreign key across tenants:
-- rows stay co-located by municipality.
ALTER TABLE organization ADD COLUMN partner_source_municipality_id uuid;
ALTER TABLE organization ADD COLUMN partner_source_organization_id uuid;
CREATE INDEX organization_partner_source ON organization (partner_source_municipality_id, partner_source_organization_id)
  WHERE partner_source_organization_id IS NOT NULL;
