//! A populated installation shared by several tests: two committees, their staff, a case in
//! each with a party who has redeemed an invitation.

use accord::app::Config;
use accord_tests::{expect, Backend, Browser, TestApp, PASSWORD};

pub struct World {
    pub app: TestApp,
    pub admin: Browser,
    pub mediator: Browser,
    pub mediator_id: String,
    /// A mediator of the same committee who is not assigned to `case`.
    pub colleague: Browser,
    pub case: String,
    pub party_id: String,
    pub party: Browser,
    /// The second committee: its admin, a mediator, a case and a party.
    pub admin2: Browser,
    pub mediator2: Browser,
    pub mediator2_id: String,
    pub case2: String,
    pub party2_id: String,
    pub party2: Browser,
}

pub use accord_tests::fixtures::{
    add_party, create_user, give_required_consents, invite, register_case, signed_in,
};

impl World {
    pub async fn build(backend: Backend) -> World {
        Self::build_with(backend, |_| {}).await
    }

    /// The same, on a server whose configuration `configure` adjusts first.
    pub async fn build_with(backend: Backend, configure: impl FnOnce(&mut Config)) -> World {
        let database = accord_tests::TestDatabase::create(backend).await;
        let mut config = accord_tests::test_config(&database);
        configure(&mut config);
        let app = TestApp::spawn_with(database, config).await;
        let admin = app.set_up().await;
        let mediator_id = create_user(&admin, "mediator", "mediator").await;
        create_user(&admin, "colleague", "mediator").await;
        let mediator = signed_in(&app, "mediator").await;
        let colleague = signed_in(&app, "colleague").await;
        let case = register_case(&mediator).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let party_id = add_party(&mediator, &case, "李甲", "applicant").await;
        let mut party = app.browser();
        let link = invite(&mediator, &case, &party_id).await["link"]
            .as_str()
            .unwrap()
            .to_owned();
        expect(party.redeem(&link).await, 200);
        give_required_consents(&party).await;

        // The second committee is created by the operator, as `accord admin` would.
        let committee2 = app
            .db
            .create_committee(
                &accord::domain::committee::NewCommittee::parse(
                    "海淀区医疗纠纷人民调解委员会",
                    accord::domain::committee::CommitteeKind::IndustryProfessional,
                    "北京市海淀区",
                )
                .unwrap(),
                app.clock.now(),
            )
            .await
            .unwrap();
        let admin2_user = accord::domain::staff::NewStaffUser::parse(
            "admin2",
            "王管理",
            accord::domain::staff::StaffRole::Admin,
            false,
            &[],
            PASSWORD,
        )
        .unwrap();
        let hash = accord::password::hash(PASSWORD.to_owned()).await.unwrap();
        app.db
            .create_user(committee2, &admin2_user, &hash, app.clock.now())
            .await
            .unwrap();
        let admin2 = signed_in(&app, "admin2").await;
        let mediator2_id = create_user(&admin2, "mediator2", "mediator").await;
        let mediator2 = signed_in(&app, "mediator2").await;
        let case2 = register_case(&mediator2).await["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let party2_id = add_party(&mediator2, &case2, "赵乙", "respondent").await;
        let mut party2 = app.browser();
        let link2 = invite(&mediator2, &case2, &party2_id).await["link"]
            .as_str()
            .unwrap()
            .to_owned();
        expect(party2.redeem(&link2).await, 200);
        give_required_consents(&party2).await;
        World {
            app,
            admin,
            mediator,
            mediator_id,
            colleague,
            case,
            party_id,
            party,
            admin2,
            mediator2,
            mediator2_id,
            case2,
            party2_id,
            party2,
        }
    }
}
