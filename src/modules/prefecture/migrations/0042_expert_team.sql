-- 多職種専門チーム (expert case consultations). Conferences belong to the
-- prefecture centre's tenant; a submission, its questions and the advice
-- belong to the municipality whose resident the case concerns (prefecture_id
-- names the centre's tenant). A submission is pseudonymised by construction:
-- a case code, an age band and the submitter's free text (checked against the
-- case's personal data before it is sent); no name, birth date, address or
-- contact is ever copied here.
CREATE TABLE expert_conference (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  held_on date NOT NULL,
  title text NOT NULL,
  created_at timestamptz NOT NULL,
  created_by uuid,
  PRIMARY KEY (municipality_id, id)
);
CREATE INDEX expert_conference_by_date ON expert_conference (municipality_id, held_on DESC);

-- who sits in which seat (the profile's centre.expertTeam.seats) at a conference
CREATE TABLE expert_conference_seat (
  municipality_id uuid NOT NULL,
  conference_id uuid NOT NULL,
  seat text NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id),
  PRIMARY KEY (municipality_id, conference_id, seat),
  FOREIGN KEY (municipality_id, conference_id) REFERENCES expert_conference (municipality_id, id)
);
CREATE INDEX expert_conference_seat_by_user ON expert_conference_seat (user_id);

CREATE TABLE expert_submission (
  municipality_id uuid NOT NULL REFERENCES municipality (id),
  id uuid NOT NULL,
  prefecture_id uuid NOT NULL,
  conference_id uuid NOT NULL,
  case_id uuid NOT NULL,
  case_code text NOT NULL,
  age_band text,
  background text NOT NULL,
  submitted_by uuid,
  organization_id uuid NOT NULL,
  submitted_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, id),
  UNIQUE (prefecture_id, case_code),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (prefecture_id, conference_id) REFERENCES expert_conference (municipality_id, id)
);
CREATE INDEX expert_submission_by_conference ON expert_submission (prefecture_id, conference_id);
CREATE INDEX expert_submission_by_case ON expert_submission (municipality_id, case_id);

CREATE TABLE expert_question (
  municipality_id uuid NOT NULL,
  submission_id uuid NOT NULL,
  seq integer NOT NULL,
  text text NOT NULL,
  PRIMARY KEY (municipality_id, submission_id, seq),
  FOREIGN KEY (municipality_id, submission_id) REFERENCES expert_submission (municipality_id, id)
);

-- one answer per question and seat; a member may correct their own answer
CREATE TABLE expert_advice (
  municipality_id uuid NOT NULL,
  submission_id uuid NOT NULL,
  question_seq integer NOT NULL,
  seat text NOT NULL,
  user_id uuid NOT NULL REFERENCES app_user (id),
  text text NOT NULL,
  recorded_at timestamptz NOT NULL,
  PRIMARY KEY (municipality_id, submission_id, question_seq, seat),
  FOREIGN KEY (municipality_id, submission_id, question_seq) REFERENCES expert_question (municipality_id, submission_id, seq)
);
