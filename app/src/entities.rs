//! sea-orm entities, one module per table (see `migrations/`).

pub mod topic {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "topic")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub slug: String,
        pub track: String,
        pub title: String,
        pub title_en: String,
        pub position: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod lesson {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lesson")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub slug: String,
        pub track: String,
        pub topic: String,
        pub title: String,
        pub summary: String,
        /// Comma-separated level codes, e.g. "THCS,THPT".
        pub levels: String,
        pub minutes: i32,
        pub body_html: String,
        pub sources_json: String,
        pub content_hash: String,
        pub active: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod question {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "question")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub track: String,
        pub topic: String,
        pub difficulty: i32,
        pub levels: String,
        pub active: bool,
        /// Id of the `question_revision` row pupils are shown now.
        pub current_revision: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod question_revision {
    use sea_orm::entity::prelude::*;

    /// The text of a question as it was at one time. Holds the answer key: never serialised.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "question_revision")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub question_id: String,
        pub revision: i32,
        pub content_hash: String,
        pub stem: String,
        pub options_json: String,
        pub correct_json: String,
        pub explanation: String,
        pub source: String,
        pub created_at: i64,
        /// "choice" or "signs" (`content::load::QuestionKind`).
        pub kind: String,
        /// Warning signs: the message (`attempt::types::MessageLayout`), shown to pupils.
        pub layout_json: Option<String>,
        /// Warning signs: a note per part. Part of the key: never sent before submitting.
        pub notes_json: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod learner {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "learner")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempt")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub learner_id: String,
        /// "practice" for now; contests come later.
        pub kind: String,
        /// "topic:<slug>" or "track:<A|B>".
        pub scope: String,
        pub seed: i64,
        pub total: i32,
        pub started_at: i64,
        pub submitted_at: Option<i64>,
        /// Questions answered fully right (set when submitted).
        pub score: Option<i32>,
        /// Points in hundredths (set when submitted): what ranks and is shown. A choice question
        /// is worth 100, a warning-signs one earns part of its 100 (`domain::quiz::item_points`).
        pub points: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod attempt_item {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "attempt_item")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub attempt_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        pub revision_id: i32,
        /// JSON array: `option_order[display] = original index`.
        pub option_order: String,
        /// JSON array of original option indexes chosen, or NULL when unanswered.
        pub chosen: Option<String>,
        pub answered_at: Option<i64>,
        pub is_correct: Option<bool>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod commune {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "commune")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub name: String,
        /// Case- and space-folded name, the key imports match on.
        pub name_key: String,
        /// "xa" or "phuong".
        pub kind: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod school {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "school")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub code: String,
        pub name: String,
        /// Comma-separated `SchoolLevel` codes.
        pub levels: String,
        pub ownership: String,
        pub commune_id: i32,
        pub former_district: Option<String>,
        pub overseeing_body: String,
        /// ISO date.
        pub valid_from: Option<String>,
        /// ISO date; set for closed and merged schools.
        pub valid_to: Option<String>,
        pub merged_into: Option<String>,
        pub created_at: i64,
        pub updated_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod school_enrolment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "school_enrolment")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub school_id: i32,
        pub school_year: i32,
        pub level: String,
        pub pupils: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod account {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub username: String,
        pub full_name: String,
        /// argon2id PHC string. This model is never serialised.
        pub password_hash: String,
        pub initial_password: Option<String>,
        pub must_change_password: bool,
        pub birth_year: Option<i32>,
        pub pupil_code: Option<String>,
        pub learner_id: String,
        pub disabled: bool,
        pub created_at: i64,
        pub last_login_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod role_grant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "role_grant")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub role: String,
        pub school_id: Option<i32>,
        pub commune_id: Option<i32>,
        pub levels: Option<String>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod school_class {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "school_class")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub school_id: i32,
        pub school_year: i32,
        pub name: String,
        pub grade: i32,
        pub teacher_id: Option<i32>,
        pub join_code: Option<String>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod class_member {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "class_member")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub class_id: i32,
        pub account_id: i32,
        /// "roster", "join-code" or "move".
        pub via: String,
        pub joined_at: i64,
        pub left_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod session {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "session")]
    pub struct Model {
        /// SHA-256 (hex) of the cookie token.
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub account_id: i32,
        pub created_at: i64,
        pub last_seen_at: i64,
        pub expires_at: i64,
        pub ip: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::account::Entity",
            from = "Column::AccountId",
            to = "super::account::Column::Id"
        )]
        Account,
    }

    impl Related<super::account::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Account.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod login_throttle {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "login_throttle")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub window_start: i64,
        pub failures: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod audit_log {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "audit_log")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub at: i64,
        pub actor_id: Option<i32>,
        pub actor: String,
        pub action: String,
        pub target: String,
        pub detail: String,
        pub ip: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod import_report {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "import_report")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        pub account_id: i32,
        pub kind: String,
        pub file_name: String,
        pub ok: bool,
        pub body_json: String,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contest {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contest")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub title: String,
        pub description: String,
        pub school_year: i32,
        pub ranking_order: String,
        pub counted_attempt: String,
        pub prize_first: i32,
        pub prize_second: i32,
        pub prize_third: i32,
        pub prize_consolation: i32,
        pub prize_min_score: Option<i32>,
        pub created_by: Option<i32>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contest_round {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contest_round")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub contest_id: i32,
        pub name: String,
        pub opens_at: i64,
        pub closes_at: i64,
        pub time_allowed_ms: i64,
        pub attempts_allowed: i32,
        /// JSON list of draw rules.
        pub draw_rules: String,
        /// JSON eligibility (levels, school ids, commune ids).
        pub eligibility: String,
        pub prediction_question: Option<String>,
        /// "ngay" or "sau-vong".
        pub review: String,
        pub results_published_at: Option<i64>,
        pub created_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contest_entry {
    use sea_orm::entity::prelude::*;

    /// The contest side of an attempt: round, pupil, where they were, deadline, prediction.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contest_entry")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub attempt_id: String,
        pub round_id: i32,
        pub account_id: i32,
        pub school_id: Option<i32>,
        pub commune_id: Option<i32>,
        pub class_name: Option<String>,
        pub level: Option<String>,
        pub attempt_no: i32,
        pub deadline_at: i64,
        pub prediction: Option<i64>,
        /// "<round>:<account>" while open; NULL once submitted.
        pub open_key: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {
        #[sea_orm(
            belongs_to = "super::attempt::Entity",
            from = "Column::AttemptId",
            to = "super::attempt::Column::Id"
        )]
        Attempt,
    }

    impl Related<super::attempt::Entity> for Entity {
        fn to() -> RelationDef {
            Relation::Attempt.def()
        }
    }

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod contest_award {
    use sea_orm::entity::prelude::*;

    /// A pupil's published result in a round, with the certificate code.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "contest_award")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub round_id: i32,
        pub account_id: i32,
        pub attempt_id: String,
        pub rank: i32,
        pub prize: Option<String>,
        pub score: i32,
        pub total: i32,
        /// Points in hundredths (as `attempt.points`); `None` only for rows of an older server.
        pub points: Option<i32>,
        pub time_used_ms: i64,
        pub display_name: String,
        pub school_name: String,
        pub class_name: Option<String>,
        pub code: String,
        pub issued_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod coverage_rule {
    use sea_orm::entity::prelude::*;

    /// The department's coverage rule for one school year.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "coverage_rule")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub school_year: i32,
        pub starts_on: String,
        pub ends_on: String,
        pub threshold_percent: i32,
        pub pass_percent: i32,
        pub target_a_percent: i32,
        pub target_a_strict: bool,
        pub target_b_percent: i32,
        pub target_b_strict: bool,
        pub updated_by: Option<i32>,
        pub updated_at: i64,
        /// The plan or decision the year's report answers to; `None`: the default for the year.
        pub basis: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod participation {
    use sea_orm::entity::prelude::*;

    /// A pupil took part in a track during a school year, at a school.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "participation")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub account_id: i32,
        pub track: String,
        pub school_year: i32,
        pub school_id: i32,
        pub level: String,
        pub class_id: Option<i32>,
        pub via: String,
        pub first_at: i64,
        pub last_at: i64,
        pub activities: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod participation_tally {
    use sea_orm::entity::prelude::*;

    /// Participants per school × year × level × track ("*" = either track), kept up to date.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "participation_tally")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub school_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub school_year: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub level: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub track: String,
        pub participants: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod offline_program {
    use sea_orm::entity::prelude::*;

    /// A program a school ran in person (talk, club, assembly), logged for the department.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "offline_program")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub school_id: i32,
        pub school_year: i32,
        pub track: String,
        pub levels: String,
        pub held_on: String,
        pub title: String,
        pub participants: i32,
        pub evidence_url: Option<String>,
        pub evidence_name: Option<String>,
        pub status: String,
        pub reason: Option<String>,
        pub submitted_by: i32,
        pub submitted_at: i64,
        pub decided_by: Option<i32>,
        pub decided_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod offline_evidence {
    use sea_orm::entity::prelude::*;

    /// The evidence file of an offline program.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "offline_evidence")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub program_id: i32,
        pub content_type: String,
        pub data: Vec<u8>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment {
    use sea_orm::entity::prelude::*;

    /// Work a teacher set for one or more classes of a school (bài được giao).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignment")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub school_id: i32,
        pub school_year: i32,
        /// "lesson:<slug>" or "topic:<slug>" (`codes::AssignedWork`).
        pub work: String,
        pub title: String,
        pub note: String,
        pub created_by: Option<i32>,
        pub opens_at: i64,
        pub due_at: i64,
        pub created_at: i64,
        pub withdrawn_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment_class {
    use sea_orm::entity::prelude::*;

    /// A class an assignment was set for.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignment_class")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub assignment_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub class_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod assignment_attempt {
    use sea_orm::entity::prelude::*;

    /// An attempt a pupil made for an assignment.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "assignment_attempt")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub attempt_id: String,
        pub assignment_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod teacher_quiz {
    use sea_orm::entity::prelude::*;

    /// A quiz a teacher built from the official bank (đề của giáo viên).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "teacher_quiz")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub school_id: i32,
        pub title: String,
        pub created_by: Option<i32>,
        /// The school's other teachers may see, assign and copy it.
        pub shared: bool,
        pub created_at: i64,
        pub updated_at: i64,
        /// When first assigned; from then on its questions are fixed.
        pub used_at: Option<i64>,
        pub deleted_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod teacher_quiz_item {
    use sea_orm::entity::prelude::*;

    /// A question of a teacher's quiz, as the revision chosen.
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "teacher_quiz_item")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub quiz_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub position: i32,
        pub revision_id: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
