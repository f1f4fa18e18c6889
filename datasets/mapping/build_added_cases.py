"""Build cases_added.jsonl: labelled mappings between public schemas, with invented samples.

Each system below lists field names as its public documentation or SDK spells them, with the
documented type and a sample kind. The sample kinds draw from invented values only (names such as
"Avery Quill", addresses at example.com), never from real people. Systems already described in
cases_public.jsonl are reused from there with their samples. Run from the repository root:

    python datasets/mapping/build_added_cases.py
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent

SAMPLES: dict[str, list] = {
    "first": ["Avery", "Jordan", "Priya", "Mateo"],
    "last": ["Quill", "Vale", "Okafor", "Lindqvist"],
    "middle": ["Lee", "", "Rose"],
    "full": ["Avery Quill", "Jordan Vale", "Priya Okafor"],
    "full_reversed": ["Quill, Avery", "Vale, Jordan"],
    "nick": ["Ave", "Jo", "Pri"],
    "username": ["aquill", "jvale", "pokafor"],
    "email": ["avery.quill@example.com", "jordan.vale@example.com", "priya.okafor@example.org"],
    "email_personal": ["aquill.home@example.net", "jv77@example.org"],
    "email_domain": ["example.com", "example.org"],
    "email_type": ["personal", "work", "other"],
    "phone": ["+1 555-0142", "(555) 010-3388", "+44 20 7946 0958"],
    "phone_type": ["mobile", "home", "work"],
    "date": ["2021-03-15", "2023-11-01", "2019-06-01"],
    "birthdate": ["1988-07-22", "1994-01-09", "1979-12-03"],
    "datetime": ["2024-05-02T14:11:09Z", "2023-12-18T08:03:44Z"],
    "unix": [1571672154, 1699990000, 1712345678],
    "bool": [True, False],
    "int_id": [4021, 4388, 5102],
    "str_id": ["4021", "4388", "5102"],
    "emp_number": ["E-1042", "E-0977", "E-1310"],
    "sf_id": ["0035g00000XyZ1AAA", "0035g00000AbC2BBB"],
    "zoho_id": ["4876876000000412001", "4876876000000412017"],
    "hex_id": ["5ba682d23d7cf92bef87bfd4", "5ba682d23d7cf92bef87c011"],
    "uuid": ["9f1c2a7e-4b1d-4c55-9a0e-3f2b8d1e6a10", "0c7e5d44-8a21-4f7e-b7aa-52d1c3e9f001"],
    "slack_id": ["U024BE7LH", "U07QK3F9ZJ2"],
    "slack_team": ["T012AB3C4", "T09ZX8Y7W"],
    "md5": ["62eeb292278cc15f5817cb78f7790b08", "9a0b8c7d6e5f4a3b2c1d0e9f8a7b6c5d"],
    "avatar_url": ["https://example.com/avatars/4021.png", "https://example.com/avatars/4388.jpg"],
    "website": ["https://www.example.com", "https://acme.example.org"],
    "street": ["100 Sample St", "12 Example Road"],
    "street2": ["Apt 4", "Suite 210", ""],
    "address_line": ["100 Sample St, Denver, CO 80202", "12 Example Road, Leeds LS1 4AB"],
    "city": ["Denver", "Leeds", "Lyon"],
    "state": ["Colorado", "West Yorkshire", "Auvergne-Rhone-Alpes"],
    "state_code": ["CO", "NY", "ON"],
    "zip": ["80202", "LS1 4AB", "69002"],
    "country": ["United States", "United Kingdom", "France"],
    "country_code": ["US", "GB", "FR"],
    "company": ["Acme Example Ltd", "Globex Sample Inc"],
    "title": ["Payroll Specialist", "Senior Recruiter", "Account Executive"],
    "department": ["Finance", "People Ops", "Engineering"],
    "division": ["North America", "EMEA"],
    "office": ["Denver Office", "Remote - UK", "Lyon HQ"],
    "team": ["Platform", "Payroll"],
    "emp_status": ["active", "inactive", "onboarding"],
    "emp_type": ["full_time", "part_time", "contractor"],
    "gender": ["female", "male", "diverse"],
    "marital": ["single", "married"],
    "ethnicity": ["Hispanic or Latino", "Decline to answer"],
    "nationality": ["Canadian", "British"],
    "tz": ["America/Denver", "Europe/London"],
    "tz_label": ["Mountain Standard Time", "Greenwich Mean Time"],
    "tz_offset": [-25200, 0, 3600],
    "locale": ["en-US", "de", "fr-FR"],
    "language": ["en", "de", "fr"],
    "role": ["end-user", "agent", "admin"],
    "contact_role": ["user", "lead"],
    "text": ["Met at the spring webinar", "Prefers email contact"],
    "tags": [["vip", "beta"], ["newsletter"]],
    "tags_csv": ["vip, beta", "newsletter"],
    "number": [62000.0, 31.5, 48250.0],
    "money": ["120.50", "0.00", "2311.75"],
    "currency": ["USD", "EUR", "GBP"],
    "count": [3, 17, 0],
    "hours": ["40", "37.5"],
    "salutation": ["Dr.", "Ms.", "Mr."],
    "pronouns": ["she/her", "he/him", "they/them"],
    "consent_state": ["subscribed", "not_subscribed", "unsubscribed"],
    "opt_in_level": ["single_opt_in", "confirmed_opt_in"],
    "sub_status": ["subscribed", "unsubscribed", "cleaned", "pending"],
    "email_format": ["html", "text"],
    "ip": ["198.51.100.23", "203.0.113.7"],
    "lead_source": ["Web", "Trade Show", "Referral"],
    "hex_color": ["9f69e7", "e7392d"],
    "skype": ["avery.quill.example", "jvale.example"],
    "twitter": ["@averyq_example", "@jvale_example"],
    "latitude": [39.7392, 53.8008],
    "longitude": [-104.9903, -1.5491],
    "browser": ["chrome", "firefox"],
    "os": ["OS X 10.14.6", "Windows 11"],
    "interval": ["monthly", "yearly"],
    "customer_state": ["enabled", "disabled", "invited"],
    "rating": [1, 3, 5],
    "termination_type": ["resignation", "dismissal"],
    "reason": ["relocation", "career change"],
    "job_code": ["FIN-204", "HR-118"],
}

# Each line: field name, documented type, sample kind.
SYSTEMS: dict[str, dict] = {
    "greenhouse_candidate": {
        "title": "Greenhouse Harvest (candidate)",
        "provenance": "www-jrtorres042-github-enterprise-org/greenhouse-api-docs "
        "source/includes/_candidates.md (the candidate object)",
        "fields": """
            id integer int_id
            first_name string first
            last_name string last
            company string company
            title string title
            created_at datetime datetime
            last_activity datetime datetime
            photo_url url avatar_url
            application_ids array tags
            phone_numbers[0].value string phone
            phone_numbers[0].type string phone_type
            addresses[0].value string address_line
            email_addresses[0].value string email_personal
            email_addresses[0].type string email_type
            website_addresses[0].value url website
            recruiter.id integer int_id
            recruiter.name string full
            tags array tags
            custom_fields.current_salary number number
            custom_fields.desired_salary number number
        """,
    },
    "zendesk_user": {
        "title": "Zendesk Support (user)",
        "provenance": "kds-snyder/Verify-Email-Addresses-in-Zendesk ZdModels/ZdUser.cs",
        "fields": """
            id integer int_id
            url url website
            name string full
            email string email
            created_at datetime datetime
            updated_at datetime datetime
            time_zone string tz_label
            iana_time_zone string tz
            phone string phone
            shared_phone_number boolean bool
            locale_id integer count
            locale string locale
            organization_id integer int_id
            role string role
            verified boolean bool
            external_id string str_id
            tags array tags
            alias string nick
            active boolean bool
            suspended boolean bool
            last_login_at datetime datetime
            two_factor_auth_enabled boolean bool
            signature string text
            details string text
            notes string text
            default_group_id integer int_id
        """,
    },
    "slack_user": {
        "title": "Slack (users.info user)",
        "provenance": "lxndrdagreat/coffee-leaderboard-server src/schemas/slack-user-info.model.ts",
        "fields": """
            id string slack_id
            team_id string slack_team
            name string username
            deleted boolean bool
            color string hex_color
            real_name string full
            tz string tz
            tz_label string tz_label
            tz_offset integer tz_offset
            profile.title string title
            profile.phone string phone
            profile.skype string skype
            profile.real_name string full
            profile.display_name string nick
            profile.status_text string text
            profile.first_name string first
            profile.last_name string last
            profile.email string email
            profile.image_512 url avatar_url
        """,
    },
    "zoho_contact": {
        "title": "Zoho CRM (Contacts module)",
        "provenance": "panoratech/Panora packages/api/src/crm/contact/services/zoho/types.ts",
        "fields": """
            Owner string zoho_id
            Lead_Source string lead_source
            First_Name string first
            Last_Name string last
            Full_Name string full
            Account_Name string company
            Email string email
            Title string title
            Department string department
            Phone string phone
            Home_Phone string phone
            Other_Phone string phone
            Fax string phone
            Mobile string phone
            Date_of_Birth date birthdate
            Assistant string full
            Asst_Phone string phone
            Email_Opt_Out boolean bool
            Created_Time datetime datetime
            Modified_Time datetime datetime
            Salutation string salutation
            Secondary_Email string email_personal
            Twitter string twitter
            Skype_ID string skype
            Reporting_To string zoho_id
            Mailing_Street string street
            Mailing_City string city
            Mailing_State string state
            Mailing_Zip string zip
            Mailing_Country string country
            Other_Street string street
            Other_City string city
            Other_Zip string zip
            Description string text
            Record_Image url avatar_url
        """,
    },
    "shopify_customer": {
        "title": "Shopify Admin REST (customer)",
        "provenance": "panoratech/Panora "
        "packages/api/src/ecommerce/customer/services/shopify/types.ts",
        "fields": """
            id integer int_id
            email string email
            first_name string first
            last_name string last
            phone string phone
            created_at datetime datetime
            updated_at datetime datetime
            currency string currency
            note string text
            orders_count integer count
            state string customer_state
            tags string tags_csv
            tax_exempt boolean bool
            total_spent string money
            verified_email boolean bool
            last_order_name string str_id
            multipass_identifier string md5
            email_marketing_consent.state string consent_state
            email_marketing_consent.opt_in_level string opt_in_level
            email_marketing_consent.consent_updated_at datetime datetime
            sms_marketing_consent.state string consent_state
            default_address.company string company
            default_address.address1 string street
            default_address.address2 string street2
            default_address.city string city
            default_address.province string state
            default_address.zip string zip
            default_address.country string country
            default_address.country_code string country_code
            default_address.phone string phone
        """,
    },
    "mailchimp_member": {
        "title": "Mailchimp Marketing (list member)",
        "provenance": "konfig-sdks/mailchimp-java-sdk docs/ListMembers1.md; "
        "Gemini-Commerce/mailchimp-marketing-go docs/ListMembers2.md (REST names in snake_case; "
        "FNAME, LNAME, PHONE, ADDRESS and BIRTHDAY are the default audience merge tags)",
        "fields": """
            id string md5
            email_address string email
            unique_email_id string hex_id
            contact_id string hex_id
            full_name string full
            email_type string email_format
            status string sub_status
            unsubscribe_reason string reason
            consents_to_one_to_one_messaging boolean bool
            merge_fields.FNAME string first
            merge_fields.LNAME string last
            merge_fields.PHONE string phone
            merge_fields.ADDRESS string address_line
            merge_fields.BIRTHDAY string birthdate
            ip_signup string ip
            timestamp_signup datetime datetime
            ip_opt string ip
            timestamp_opt datetime datetime
            member_rating integer rating
            last_changed datetime datetime
            language string language
            vip boolean bool
            location.latitude number latitude
            location.longitude number longitude
            location.country_code string country_code
            tags array tags
        """,
    },
    "intercom_contact": {
        "title": "Intercom (contact)",
        "provenance": "Intercom REST API 2.6 reference, contacts model page "
        "(developers.intercom.com/docs/references/2.6/rest-api/contacts/contacts-model)",
        "fields": """
            id string hex_id
            workspace_id string slack_team
            external_id string str_id
            role string contact_role
            email string email
            email_domain string email_domain
            phone string phone
            name string full
            avatar url avatar_url
            owner_id integer int_id
            has_hard_bounced boolean bool
            marked_email_as_spam boolean bool
            unsubscribed_from_emails boolean bool
            created_at integer unix
            updated_at integer unix
            signed_up_at integer unix
            last_seen_at integer unix
            last_replied_at integer unix
            browser string browser
            browser_language string language
            os string os
            location.country string country
            location.region string state
            location.city string city
        """,
    },
    "personio_employee": {
        "title": "Personio (employee)",
        "provenance": "at-gmbh/personio-py src/personio_py/models.py (Employee field mapping)",
        "fields": """
            id integer int_id
            first_name string first
            last_name string last
            email string email
            gender string gender
            status string emp_status
            position string title
            supervisor string full
            employment_type string emp_type
            weekly_working_hours string hours
            hire_date date date
            contract_end_date date date
            termination_date date date
            termination_type string termination_type
            termination_reason string reason
            probation_period_end date date
            created_at datetime datetime
            last_modified_at datetime datetime
            subcompany string company
            office string office
            department string department
            cost_centers array tags
            fix_salary number number
            fix_salary_interval string interval
            hourly_salary number number
            vacation_day_balance number count
            last_working_day date date
            profile_picture url avatar_url
            team string team
        """,
    },
    "hibob_employee": {
        "title": "HiBob (people search employee)",
        "provenance": "lyft/cartography tests/data/hibob/employees.py (a HiBob /people response)",
        "fields": """
            id string str_id
            firstName string first
            surname string last
            email string email
            displayName string full
            fullName string full
            creationDateTime datetime datetime
            work.startDate date date
            work.manager string str_id
            work.workPhone string phone
            work.reportsTo.email string email
            work.reportsTo.displayName string full
            work.workMobile string phone
            work.department string department
            work.isManager boolean bool
            work.site string office
            home.mobilePhone string phone
            home.privateEmail string email_personal
            home.legalGender string gender
            home.privatePhone string phone
        """,
    },
    "sagehr_employee": {
        "title": "Sage HR (employee)",
        "provenance": "kaushaljain19/Daily_Progress sage-hr/src/emp/dto/SageHREmployee.dto.ts",
        "fields": """
            id integer int_id
            email string email
            first_name string first
            last_name string last
            picture_url url avatar_url
            employment_start_date date date
            date_of_birth date birthdate
            position string title
            position_id integer int_id
            work_phone string phone
            mobile_phone string phone
            home_phone string phone
            employment_status string emp_status
            termination_date date date
        """,
    },
    "apideck_employee": {
        "title": "Apideck unified HRIS (employee)",
        "provenance": "paragonsean/openapi-directory "
        "APIs/apideck.com/hris/10.0.0/javascript-client/docs/Employee.md",
        "fields": """
            id string str_id
            firstName string first
            lastName string last
            middleName string middle
            displayName string full
            preferredName string nick
            initials string state_code
            salutation string salutation
            title string title
            employeeNumber string emp_number
            birthday date birthdate
            employmentStartDate date date
            employmentEndDate date date
            gender string gender
            ethnicity string ethnicity
            maritalStatus string marital
            department string department
            division string division
            companyName string company
            photoUrl url avatar_url
            preferredLanguage string language
            timezone string tz
            pronouns string pronouns
            socialSecurityNumber string str_id
            leavingReason string reason
            emails array email
            phoneNumbers array phone
        """,
    },
    "affix_employee": {
        "title": "Affix unified HRIS (create employee request)",
        "provenance": "affixapi/php-sdk docs/Model/CreateEmployeeRequest.md",
        "fields": """
            employee_number string emp_number
            first_name string first
            last_name string last
            display_full_name string full
            nationality string nationality
            job_title string title
            work_email string email
            personal_email string email_personal
            mobile_phone_number string phone
            tax_id string str_id
            gender string gender
            ethnicity string ethnicity
            marital_status string marital
            date_of_birth datetime birthdate
            employment_status string emp_status
            employment_type string emp_type
            start_date datetime date
            termination_date datetime date
            avatar string avatar_url
        """,
    },
    "freshdesk_contact": {
        "title": "Freshdesk (contact)",
        "provenance": "abdulsattar/rottendesk lib/freshdesk/models/user.rb",
        "fields": """
            id integer int_id
            name string full
            email string email
            address string address_line
            description string text
            job_title string title
            twitter_id string twitter
            phone string phone
            mobile string phone
            language string language
            time_zone string tz_label
            customer_id integer int_id
            deleted boolean bool
            helpdesk_agent boolean bool
            active boolean bool
        """,
    },
    "workday_report_employee": {
        "title": "Workday custom report (employee rows)",
        "provenance": "markgriep/GetWdEmployee WDEmployee/Models/WorkdayEmployee.cs; "
        "borisano/workday lib/workday/worker.rb (employee_id, hire_date, email)",
        "fields": """
            EmployeeName string full
            EmployeeID string str_id
            Department string department
            JobCode string job_code
            JobTitle string title
            DateOfBirth date birthdate
            HireDate date date
            Email string email
        """,
    },
    "pipedrive_person_source": {
        "title": "Pipedrive (person)",
        "provenance": "panoratech/Panora "
        "packages/api/src/crm/contact/services/pipedrive/types.ts",
        "fields": """
            id integer int_id
            name string full
            first_name string first
            last_name string last
            email array email
            phone array phone
            org_name string company
            owner_id object int_id
            marketing_status string consent_state
            label integer rating
            add_time datetime datetime
            update_time datetime datetime
            visible_to string count
            org_id object int_id
            cc_email string email_personal
        """,
    },
}

# Systems taken from cases_public.jsonl: (case id, side).
REUSED = {
    "bamboohr": ("01-bamboohr--merge_hris_employee", "source_fields"),
    "merge_hris_employee": ("01-bamboohr--merge_hris_employee", "target_fields"),
    "okta_user": ("09-okta_user--google_directory_user", "source_fields"),
    "google_directory_user": ("09-okta_user--google_directory_user", "target_fields"),
    "msgraph_user": ("11-msgraph_user--scim_user", "source_fields"),
    "scim_user": ("11-msgraph_user--scim_user", "target_fields"),
    "salesforce_contact": ("15-salesforce_contact--hubspot_contact", "source_fields"),
    "hubspot_contact": ("16-hubspot_contact--salesforce_lead", "source_fields"),
    "salesforce_lead": ("17-salesforce_lead--pipedrive_person", "source_fields"),
}

REUSED_TITLES = {
    "bamboohr": "BambooHR (employee, custom report fields)",
    "merge_hris_employee": "Merge unified HRIS (Employee common model)",
    "okta_user": "Okta (user profile, default attributes)",
    "google_directory_user": "Google Workspace Admin SDK Directory (user)",
    "msgraph_user": "Microsoft Graph / Entra ID (user)",
    "scim_user": "SCIM 2.0 User (core + enterprise extension)",
    "salesforce_contact": "Salesforce (Contact sObject)",
    "hubspot_contact": "HubSpot (contact properties)",
    "salesforce_lead": "Salesforce (Lead sObject)",
}

ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:"

# Each pair: (source system, target system, {target field: source field or None}).
PAIRS: list[tuple[str, str, dict[str, str | None]]] = [
    ("greenhouse_candidate", "bamboohr", {
        "firstName": "first_name", "lastName": "last_name", "jobTitle": "title",
        "homeEmail": "email_addresses[0].value", "mobilePhone": "phone_numbers[0].value",
        "address1": "addresses[0].value", "payRate": "custom_fields.desired_salary",
        "hireDate": None, "department": None, "workEmail": None, "dateOfBirth": None,
        "supervisor": None, "employeeNumber": None, "gender": None,
    }),
    ("zendesk_user", "hubspot_contact", {
        "email": "email", "phone": "phone", "hs_object_id": None, "firstname": None,
        "lastname": None, "jobtitle": None, "company": None, "createdate": "created_at",
        "lastmodifieddate": "updated_at", "hs_email_optout": None, "website": None,
        "city": None, "country": None, "message": "notes",
    }),
    ("slack_user", "okta_user", {
        "login": None, "email": "profile.email", "firstName": "profile.first_name",
        "lastName": "profile.last_name", "displayName": "profile.real_name",
        "nickName": "profile.display_name", "title": "profile.title",
        "primaryPhone": "profile.phone", "timezone": "tz", "department": None,
        "employeeNumber": None, "manager": None, "locale": None, "mobilePhone": None,
    }),
    ("slack_user", "google_directory_user", {
        "primaryEmail": "profile.email", "name.givenName": "profile.first_name",
        "name.familyName": "profile.last_name", "name.fullName": "profile.real_name",
        "phones[0].value": "profile.phone", "organizations[0].title": "profile.title",
        "thumbnailPhotoUrl": "profile.image_512", "isAdmin": None,
        "organizations[0].department": None, "orgUnitPath": None, "recoveryEmail": None,
        "externalIds[0].value": None,
    }),
    ("zoho_contact", "salesforce_contact", {
        "FirstName": "First_Name", "LastName": "Last_Name", "Salutation": "Salutation",
        "Email": "Email", "Phone": "Phone", "MobilePhone": "Mobile", "HomePhone": "Home_Phone",
        "OtherPhone": "Other_Phone", "Fax": "Fax", "Title": "Title", "Department": "Department",
        "AssistantName": "Assistant", "AssistantPhone": "Asst_Phone",
        "Birthdate": "Date_of_Birth", "LeadSource": "Lead_Source",
        "HasOptedOutOfEmail": "Email_Opt_Out", "MailingStreet": "Mailing_Street",
        "MailingCity": "Mailing_City", "MailingState": "Mailing_State",
        "MailingPostalCode": "Mailing_Zip", "MailingCountry": "Mailing_Country",
        "OtherStreet": "Other_Street", "OtherCity": "Other_City",
        "OtherPostalCode": "Other_Zip", "Description": "Description",
        "OwnerId": "Owner", "ReportsToId": "Reporting_To", "CreatedDate": "Created_Time",
        "LastModifiedDate": "Modified_Time", "Pronouns": None, "GenderIdentity": None,
        "DoNotCall": None,
    }),
    ("hubspot_contact", "zoho_contact", {
        "First_Name": "firstname", "Last_Name": "lastname", "Email": "email", "Phone": "phone",
        "Mobile": "mobilephone", "Fax": "fax", "Salutation": "salutation", "Title": "jobtitle",
        "Mailing_Street": "address", "Mailing_City": "city", "Mailing_State": "state",
        "Mailing_Zip": "zip", "Mailing_Country": "country", "Twitter": "twitterhandle",
        "Email_Opt_Out": "hs_email_optout", "Owner": "hubspot_owner_id",
        "Created_Time": "createdate", "Modified_Time": "lastmodifieddate",
        "Lead_Source": "hs_analytics_source", "Description": "message",
        "Date_of_Birth": None, "Secondary_Email": None, "Assistant": None, "Department": None,
        "Skype_ID": None,
    }),
    ("shopify_customer", "hubspot_contact", {
        "email": "email", "firstname": "first_name", "lastname": "last_name", "phone": "phone",
        "company": "default_address.company", "address": "default_address.address1",
        "city": "default_address.city", "state": "default_address.province",
        "zip": "default_address.zip", "country": "default_address.country",
        "createdate": "created_at", "lastmodifieddate": "updated_at",
        "hs_email_optout": None, "jobtitle": None, "mobilephone": None, "website": None,
        "lifecyclestage": None, "hs_object_id": None,
    }),
    ("shopify_customer", "mailchimp_member", {
        "email_address": "email", "merge_fields.FNAME": "first_name",
        "merge_fields.LNAME": "last_name", "merge_fields.PHONE": "phone",
        "status": "email_marketing_consent.state", "tags": "tags",
        "location.country_code": "default_address.country_code", "merge_fields.BIRTHDAY": None,
        "language": None, "vip": None, "merge_fields.ADDRESS": None,
        "timestamp_signup": "created_at", "full_name": None,
    }),
    ("mailchimp_member", "hubspot_contact", {
        "email": "email_address", "firstname": "merge_fields.FNAME",
        "lastname": "merge_fields.LNAME", "phone": "merge_fields.PHONE",
        "address": "merge_fields.ADDRESS", "lastmodifieddate": "last_changed",
        "createdate": "timestamp_signup", "hs_email_optout": None, "company": None,
        "jobtitle": None, "city": None, "country": "location.country_code", "website": None,
    }),
    ("intercom_contact", "hubspot_contact", {
        "email": "email", "phone": "phone", "hs_object_id": None, "firstname": None,
        "lastname": None, "city": "location.city", "state": "location.region",
        "country": "location.country", "createdate": "created_at",
        "lastmodifieddate": "updated_at", "hubspot_owner_id": "owner_id",
        "hs_email_optout": "unsubscribed_from_emails", "company": None, "jobtitle": None,
        "lifecyclestage": None,
    }),
    ("intercom_contact", "zendesk_user", {
        "name": "name", "email": "email", "phone": "phone", "external_id": "external_id",
        "role": None, "locale": "browser_language", "created_at": "created_at",
        "updated_at": "updated_at", "last_login_at": "last_seen_at", "organization_id": None,
        "time_zone": None, "tags": None, "alias": None, "verified": None, "notes": None,
        "suspended": None,
    }),
    ("freshdesk_contact", "zendesk_user", {
        "name": "name", "email": "email", "phone": "phone", "time_zone": "time_zone",
        "locale": "language", "organization_id": "customer_id", "details": "address",
        "notes": "description", "active": "active", "external_id": None, "alias": None,
        "tags": None, "role": None, "signature": None, "verified": None,
    }),
    ("zendesk_user", "intercom_contact", {
        "name": "name", "email": "email", "phone": "phone", "external_id": "external_id",
        "avatar": None, "created_at": "created_at", "updated_at": "updated_at",
        "last_seen_at": "last_login_at", "role": None, "owner_id": None,
        "unsubscribed_from_emails": None, "browser_language": "locale",
        "location.city": None, "location.country": None, "signed_up_at": None,
    }),
    ("personio_employee", "bamboohr", {
        "firstName": "first_name", "lastName": "last_name", "workEmail": "email",
        "gender": "gender", "status": "status", "jobTitle": "position",
        "supervisor": "supervisor", "employmentHistoryStatus": "employment_type",
        "standardHoursPerWeek": "weekly_working_hours", "hireDate": "hire_date",
        "terminationDate": "termination_date", "location": "office",
        "department": "department", "payRate": "fix_salary", "division": None,
        "mobilePhone": None, "dateOfBirth": None, "homeEmail": None, "ssn": None,
        "employeeNumber": None, "maritalStatus": None, "city": None,
    }),
    ("personio_employee", "msgraph_user", {
        "givenName": "first_name", "surname": "last_name", "mail": "email",
        "jobTitle": "position", "department": "department", "companyName": "subcompany",
        "officeLocation": "office", "employeeHireDate": "hire_date",
        "employeeType": "employment_type", "manager": "supervisor", "employeeId": None,
        "mobilePhone": None, "businessPhones": None, "city": None, "country": None,
        "userPrincipalName": None, "preferredLanguage": None, "birthday": None,
    }),
    ("hibob_employee", "okta_user", {
        "login": None, "email": "email", "secondEmail": "home.privateEmail",
        "firstName": "firstName", "lastName": "surname", "displayName": "displayName",
        "department": "work.department", "manager": "work.reportsTo.displayName",
        "managerId": "work.manager", "mobilePhone": "work.workMobile",
        "primaryPhone": "work.workPhone", "employeeNumber": None, "title": None,
        "city": None, "countryCode": None, "organization": None, "nickName": None,
    }),
    ("hibob_employee", "scim_user", {
        "userName": None, "name.givenName": "firstName", "name.familyName": "surname",
        "displayName": "displayName", 'emails[type eq "work"].value': "email",
        'phoneNumbers[type eq "work"].value': "work.workPhone",
        'phoneNumbers[type eq "mobile"].value': "work.workMobile",
        ENT + "department": "work.department", ENT + "manager.value": "work.manager",
        ENT + "employeeNumber": None, "title": None, "active": None, "locale": None,
        "timezone": None, ENT + "costCenter": None,
    }),
    ("sagehr_employee", "merge_hris_employee", {
        "first_name": "first_name", "last_name": "last_name", "work_email": "email",
        "mobile_phone_number": "mobile_phone", "hire_date": "employment_start_date",
        "date_of_birth": "date_of_birth", "termination_date": "termination_date",
        "employment_status": "employment_status", "avatar": "picture_url",
        "employee_number": None, "personal_email": None, "manager": None, "gender": None,
        "ssn": None, "display_full_name": None, "work_location": None, "pay_group": None,
    }),
    ("apideck_employee", "affix_employee", {
        "employee_number": "employeeNumber", "first_name": "firstName",
        "last_name": "lastName", "display_full_name": "displayName", "job_title": "title",
        "gender": "gender", "ethnicity": "ethnicity", "marital_status": "maritalStatus",
        "date_of_birth": "birthday", "start_date": "employmentStartDate",
        "termination_date": "employmentEndDate", "avatar": "photoUrl",
        "tax_id": "socialSecurityNumber", "work_email": None, "personal_email": None,
        "mobile_phone_number": None, "nationality": None, "employment_status": None,
        "employment_type": None,
    }),
    ("bamboohr", "apideck_employee", {
        "firstName": "firstName", "lastName": "lastName", "middleName": "middleName",
        "displayName": "displayName", "preferredName": "preferredName", "title": "jobTitle",
        "employeeNumber": "employeeNumber", "birthday": "dateOfBirth",
        "employmentStartDate": "hireDate", "employmentEndDate": "terminationDate",
        "gender": "gender", "ethnicity": "ethnicity", "maritalStatus": "maritalStatus",
        "department": "department", "division": "division",
        "socialSecurityNumber": "ssn", "companyName": None, "photoUrl": None,
        "preferredLanguage": None, "timezone": None, "pronouns": None, "salutation": None,
        "leavingReason": None, "initials": None,
    }),
    ("workday_report_employee", "okta_user", {
        "displayName": "EmployeeName", "employeeNumber": "EmployeeID",
        "department": "Department", "title": "JobTitle", "email": "Email", "login": None,
        "firstName": None, "lastName": None, "manager": None, "costCenter": None,
        "mobilePhone": None, "division": None,
    }),
    ("pipedrive_person_source", "hubspot_contact", {
        "firstname": "first_name", "lastname": "last_name", "email": "email",
        "phone": "phone", "company": "org_name", "hubspot_owner_id": "owner_id",
        "associatedcompanyid": "org_id", "createdate": "add_time",
        "lastmodifieddate": "update_time", "hs_email_optout": None, "jobtitle": None,
        "city": None, "website": None, "lifecyclestage": None, "mobilephone": None,
    }),
    ("salesforce_contact", "zoho_contact", {
        "First_Name": "FirstName", "Last_Name": "LastName", "Salutation": "Salutation",
        "Email": "Email", "Phone": "Phone", "Mobile": "MobilePhone", "Home_Phone": "HomePhone",
        "Other_Phone": "OtherPhone", "Fax": "Fax", "Title": "Title",
        "Department": "Department", "Assistant": "AssistantName",
        "Asst_Phone": "AssistantPhone", "Date_of_Birth": "Birthdate",
        "Lead_Source": "LeadSource", "Email_Opt_Out": "HasOptedOutOfEmail",
        "Mailing_Street": "MailingStreet", "Mailing_City": "MailingCity",
        "Mailing_State": "MailingState", "Mailing_Zip": "MailingPostalCode",
        "Mailing_Country": "MailingCountry", "Other_Street": "OtherStreet",
        "Other_City": "OtherCity", "Other_Zip": "OtherPostalCode",
        "Description": "Description", "Owner": "OwnerId", "Reporting_To": "ReportsToId",
        "Account_Name": "AccountId", "Created_Time": "CreatedDate",
        "Modified_Time": "LastModifiedDate", "Secondary_Email": None, "Twitter": None,
        "Skype_ID": None, "Record_Image": None,
    }),
    ("greenhouse_candidate", "sagehr_employee", {
        "first_name": "first_name", "last_name": "last_name", "position": "title",
        "mobile_phone": "phone_numbers[0].value", "picture_url": "photo_url",
        "email": None, "employment_start_date": None, "date_of_birth": None,
        "work_phone": None, "employment_status": None,
    }),
    ("okta_user", "slack_user", {
        "profile.email": "email", "profile.first_name": "firstName",
        "profile.last_name": "lastName", "profile.real_name": "displayName",
        "profile.display_name": "nickName", "profile.title": "title",
        "profile.phone": "primaryPhone", "tz": "timezone", "name": "login",
        "profile.image_512": None, "profile.skype": None, "color": None,
        "profile.status_text": None,
    }),
    ("msgraph_user", "okta_user", {
        "login": "userPrincipalName", "email": "mail", "secondEmail": "otherMails",
        "firstName": "givenName", "lastName": "surname", "displayName": "displayName",
        "nickName": "preferredName", "title": "jobTitle", "department": "department",
        "organization": "companyName", "employeeNumber": "employeeId",
        "userType": "employeeType", "mobilePhone": "mobilePhone",
        "primaryPhone": "businessPhones", "streetAddress": "streetAddress", "city": "city",
        "state": "state", "zipCode": "postalCode", "countryCode": "country",
        "preferredLanguage": "preferredLanguage", "manager": "manager",
        "honorificPrefix": None, "costCenter": None, "division": None, "timezone": None,
        "profileUrl": None,
    }),
    ("zoho_contact", "mailchimp_member", {
        "email_address": "Email", "merge_fields.FNAME": "First_Name",
        "merge_fields.LNAME": "Last_Name", "merge_fields.PHONE": "Phone",
        "merge_fields.BIRTHDAY": "Date_of_Birth", "full_name": "Full_Name",
        "status": None, "language": None, "vip": None, "tags": None,
        "merge_fields.ADDRESS": None, "location.country_code": "Mailing_Country",
    }),
]


# Exports often lack a field: these pairs drop the email column from a real schema, so the
# labels teach that consent and opt-out flags never stand in for an email address. They share
# their system pair with the full version, so evaluation keeps both on the same side of a split.
DERIVED: list[tuple[str, str, list[str], dict[str, str | None]]] = [
    ("shopify_customer", "hubspot_contact", ["email"], {
        "email": None, "firstname": "first_name", "lastname": "last_name", "phone": "phone",
        "hs_email_optout": None, "createdate": "created_at", "company": "default_address.company",
    }),
    ("salesforce_contact", "hubspot_contact", ["Email"], {
        "email": None, "firstname": "FirstName", "lastname": "LastName",
        "hs_email_optout": "HasOptedOutOfEmail", "phone": "Phone", "jobtitle": "Title",
    }),
    ("zoho_contact", "mailchimp_member", ["Email", "Secondary_Email"], {
        "email_address": None, "merge_fields.FNAME": "First_Name",
        "merge_fields.LNAME": "Last_Name", "status": None, "merge_fields.PHONE": "Phone",
    }),
    ("intercom_contact", "zendesk_user", ["email", "email_domain"], {
        "email": None, "name": "name", "phone": "phone", "verified": None,
        "external_id": "external_id",
    }),
    ("mailchimp_member", "hubspot_contact", ["email_address"], {
        "email": None, "firstname": "merge_fields.FNAME", "lastname": "merge_fields.LNAME",
        "hs_email_optout": None, "phone": "merge_fields.PHONE",
    }),
]


def load_public_cases() -> dict[str, dict]:
    with (HERE / "cases_public.jsonl").open(encoding="utf-8") as handle:
        return {row["id"]: row for row in map(json.loads, handle)}


def system_fields(name: str, public: dict[str, dict]) -> list[dict]:
    if name in REUSED:
        case_id, side = REUSED[name]
        return public[case_id][side]

    fields = []
    for line in SYSTEMS[name]["fields"].strip().splitlines():
        field_name, field_type, kind = line.split()
        fields.append({"name": field_name, "type": field_type, "samples": SAMPLES[kind][:3]})
    return fields


def system_title(name: str) -> str:
    return REUSED_TITLES[name] if name in REUSED_TITLES else SYSTEMS[name]["title"]


def system_provenance(name: str, public: dict[str, dict]) -> str:
    if name in SYSTEMS:
        return SYSTEMS[name]["provenance"]

    case_id, side = REUSED[name]
    part = public[case_id]["provenance"].split(" | ")[0 if side == "source_fields" else 1]
    return part.split(": ", 1)[1]


def build_case(index: int, pair: tuple, public: dict[str, dict], dropped: tuple[str, ...] = (),
               prefix: str = "a") -> dict:
    source, target, mapping = pair
    source_fields = [f for f in system_fields(source, public) if f["name"] not in dropped]
    target_types = {field["name"]: field["type"] for field in system_fields(target, public)}

    source_names = {field["name"] for field in source_fields}
    for target_name, source_name in mapping.items():
        if target_name not in target_types:
            raise ValueError(f"{source}->{target}: unknown target field {target_name!r}")
        if source_name is not None and source_name not in source_names:
            raise ValueError(f"{source}->{target}: unknown source field {source_name!r}")

    note = f" (derived: {', '.join(dropped)} removed from the source)" if dropped else ""
    return {
        "id": f"{prefix}{index:02d}-{source}--{target}",
        "source_system": system_title(source),
        "target_system": system_title(target),
        "source_fields": source_fields,
        "target_fields": [{"name": name, "type": target_types[name]} for name in mapping],
        "mapping": mapping,
        "provenance": (
            f"source field names: {system_provenance(source, public)}{note} | "
            f"target field names: {system_provenance(target, public)} | "
            "types as documented or inferred; sample values invented; mapping labelled by hand "
            "(null = no single source field carries the target)"
        ),
    }


def main() -> None:
    public = load_public_cases()
    cases = [build_case(index, pair, public) for index, pair in enumerate(PAIRS, start=1)]
    cases += [
        build_case(index, (source, target, mapping), public, tuple(dropped), prefix="d")
        for index, (source, target, dropped, mapping) in enumerate(DERIVED, start=1)
    ]
    with (HERE / "cases_added.jsonl").open("w", encoding="utf-8") as handle:
        for case in cases:
            handle.write(json.dumps(case, ensure_ascii=False) + "\n")
    print(f"wrote {len(cases)} cases")


if __name__ == "__main__":
    main()
