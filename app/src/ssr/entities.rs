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
        pub score: Option<i32>,
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
