//! The school directory (communes, schools, enrolment), accounts with their roles, classes and
//! memberships, sessions, login throttling, the audit log and stored import reports.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

fn index(
    name: &str,
    table: impl IntoIden,
    cols: &[&'static str],
    unique: bool,
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for col in cols {
        statement.col(Alias::new(*col));
    }
    if unique {
        statement.unique();
    }
    statement.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Commune::Table)
                    .col(pk_auto(Commune::Id))
                    .col(string(Commune::Name))
                    // Case- and space-folded name, the key imports match on.
                    .col(string_uniq(Commune::NameKey))
                    .col(string(Commune::Kind))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(School::Table)
                    .col(pk_auto(School::Id))
                    .col(string_uniq(School::Code))
                    .col(string(School::Name))
                    .col(string(School::Levels))
                    .col(string(School::Ownership))
                    .col(integer(School::CommuneId))
                    .col(string_null(School::FormerDistrict))
                    .col(string(School::OverseeingBody))
                    .col(string_null(School::ValidFrom))
                    .col(string_null(School::ValidTo))
                    .col(string_null(School::MergedInto))
                    .col(big_integer(School::CreatedAt))
                    .col(big_integer(School::UpdatedAt))
                    .foreign_key(&mut fk(
                        (School::Table, School::CommuneId),
                        (Commune::Table, Commune::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_school_commune",
                School::Table,
                &["commune_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SchoolEnrolment::Table)
                    .col(pk_auto(SchoolEnrolment::Id))
                    .col(integer(SchoolEnrolment::SchoolId))
                    .col(integer(SchoolEnrolment::SchoolYear))
                    .col(string(SchoolEnrolment::Level))
                    .col(integer(SchoolEnrolment::Pupils))
                    .foreign_key(&mut fk(
                        (SchoolEnrolment::Table, SchoolEnrolment::SchoolId),
                        (School::Table, School::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_enrolment_school_year_level",
                SchoolEnrolment::Table,
                &["school_id", "school_year", "level"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(pk_auto(Account::Id))
                    .col(string_uniq(Account::Username))
                    .col(string(Account::FullName))
                    .col(string(Account::PasswordHash))
                    // Shown on login slips until the owner sets a password; then cleared.
                    .col(string_null(Account::InitialPassword))
                    .col(boolean(Account::MustChangePassword))
                    .col(integer_null(Account::BirthYear))
                    .col(string_null(Account::PupilCode))
                    .col(string_uniq(Account::LearnerId))
                    .col(boolean(Account::Disabled))
                    .col(big_integer(Account::CreatedAt))
                    .col(big_integer_null(Account::LastLoginAt))
                    .foreign_key(&mut fk(
                        (Account::Table, Account::LearnerId),
                        (Learner::Table, Learner::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoleGrant::Table)
                    .col(pk_auto(RoleGrant::Id))
                    .col(integer(RoleGrant::AccountId))
                    .col(string(RoleGrant::Role))
                    .col(integer_null(RoleGrant::SchoolId))
                    .col(integer_null(RoleGrant::CommuneId))
                    // Comma-separated school-level codes a department official oversees.
                    .col(string_null(RoleGrant::Levels))
                    .col(big_integer(RoleGrant::CreatedAt))
                    .foreign_key(
                        &mut fk(
                            (RoleGrant::Table, RoleGrant::AccountId),
                            (Account::Table, Account::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .foreign_key(&mut fk(
                        (RoleGrant::Table, RoleGrant::SchoolId),
                        (School::Table, School::Id),
                    ))
                    .foreign_key(&mut fk(
                        (RoleGrant::Table, RoleGrant::CommuneId),
                        (Commune::Table, Commune::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_grant_account",
                RoleGrant::Table,
                &["account_id"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_grant_school_role",
                RoleGrant::Table,
                &["school_id", "role"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SchoolClass::Table)
                    .col(pk_auto(SchoolClass::Id))
                    .col(integer(SchoolClass::SchoolId))
                    .col(integer(SchoolClass::SchoolYear))
                    .col(string(SchoolClass::Name))
                    .col(integer(SchoolClass::Grade))
                    .col(integer_null(SchoolClass::TeacherId))
                    .col(string_null(SchoolClass::JoinCode))
                    .col(big_integer(SchoolClass::CreatedAt))
                    .foreign_key(&mut fk(
                        (SchoolClass::Table, SchoolClass::SchoolId),
                        (School::Table, School::Id),
                    ))
                    .foreign_key(
                        &mut fk(
                            (SchoolClass::Table, SchoolClass::TeacherId),
                            (Account::Table, Account::Id),
                        )
                        .on_delete(ForeignKeyAction::SetNull)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_class_school_year_name",
                SchoolClass::Table,
                &["school_id", "school_year", "name"],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_class_join_code",
                SchoolClass::Table,
                &["join_code"],
                true,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ClassMember::Table)
                    .col(pk_auto(ClassMember::Id))
                    .col(integer(ClassMember::ClassId))
                    .col(integer(ClassMember::AccountId))
                    .col(string(ClassMember::Via))
                    .col(big_integer(ClassMember::JoinedAt))
                    .col(big_integer_null(ClassMember::LeftAt))
                    .foreign_key(&mut fk(
                        (ClassMember::Table, ClassMember::ClassId),
                        (SchoolClass::Table, SchoolClass::Id),
                    ))
                    .foreign_key(
                        &mut fk(
                            (ClassMember::Table, ClassMember::AccountId),
                            (Account::Table, Account::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_member_class",
                ClassMember::Table,
                &["class_id", "left_at"],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_member_account",
                ClassMember::Table,
                &["account_id", "left_at"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    // SHA-256 of the cookie's token: a database leak does not hand out sessions.
                    .col(string(Session::Id).primary_key())
                    .col(integer(Session::AccountId))
                    .col(big_integer(Session::CreatedAt))
                    .col(big_integer(Session::LastSeenAt))
                    .col(big_integer(Session::ExpiresAt))
                    .col(string_null(Session::Ip))
                    .foreign_key(
                        &mut fk(
                            (Session::Table, Session::AccountId),
                            (Account::Table, Account::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_session_account",
                Session::Table,
                &["account_id"],
                false,
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(string(LoginThrottle::Key).primary_key())
                    .col(big_integer(LoginThrottle::WindowStart))
                    .col(integer(LoginThrottle::Failures))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(pk_auto(AuditLog::Id))
                    .col(big_integer(AuditLog::At))
                    .col(integer_null(AuditLog::ActorId))
                    .col(string(AuditLog::Actor))
                    .col(string(AuditLog::Action))
                    .col(string(AuditLog::Target))
                    .col(text(AuditLog::Detail))
                    .col(string_null(AuditLog::Ip))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index("idx_audit_at", AuditLog::Table, &["at"], false))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ImportReport::Table)
                    .col(string(ImportReport::Id).primary_key())
                    .col(integer(ImportReport::AccountId))
                    .col(string(ImportReport::Kind))
                    .col(string(ImportReport::FileName))
                    .col(boolean(ImportReport::Ok))
                    .col(text(ImportReport::BodyJson))
                    .col(big_integer(ImportReport::CreatedAt))
                    .foreign_key(
                        &mut fk(
                            (ImportReport::Table, ImportReport::AccountId),
                            (Account::Table, Account::Id),
                        )
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ImportReport::Table.into_iden(),
            AuditLog::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            Session::Table.into_iden(),
            ClassMember::Table.into_iden(),
            SchoolClass::Table.into_iden(),
            RoleGrant::Table.into_iden(),
            Account::Table.into_iden(),
            SchoolEnrolment::Table.into_iden(),
            School::Table.into_iden(),
            Commune::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Learner {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Commune {
    Table,
    Id,
    Name,
    NameKey,
    Kind,
}

#[derive(DeriveIden)]
enum School {
    Table,
    Id,
    Code,
    Name,
    Levels,
    Ownership,
    CommuneId,
    FormerDistrict,
    OverseeingBody,
    ValidFrom,
    ValidTo,
    MergedInto,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SchoolEnrolment {
    Table,
    Id,
    SchoolId,
    SchoolYear,
    Level,
    Pupils,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Username,
    FullName,
    PasswordHash,
    InitialPassword,
    MustChangePassword,
    BirthYear,
    PupilCode,
    LearnerId,
    Disabled,
    CreatedAt,
    LastLoginAt,
}

#[derive(DeriveIden)]
enum RoleGrant {
    Table,
    Id,
    AccountId,
    Role,
    SchoolId,
    CommuneId,
    Levels,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SchoolClass {
    Table,
    Id,
    SchoolId,
    SchoolYear,
    Name,
    Grade,
    TeacherId,
    JoinCode,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ClassMember {
    Table,
    Id,
    ClassId,
    AccountId,
    Via,
    JoinedAt,
    LeftAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    Id,
    AccountId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    WindowStart,
    Failures,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    At,
    ActorId,
    Actor,
    Action,
    Target,
    Detail,
    Ip,
}

#[derive(DeriveIden)]
enum ImportReport {
    Table,
    Id,
    AccountId,
    Kind,
    FileName,
    Ok,
    BodyJson,
    CreatedAt,
}
