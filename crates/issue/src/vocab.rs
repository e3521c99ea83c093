//! The newsletter's vocabularies: sectors, regions, levels, resource kinds and sources.
//!
//! Levels are closed: an issue with another level is malformed. Sectors, regions,
//! resource kinds and sources are open: the known values get their own variant and
//! anything else is kept, losslessly, as `Other(text)`, so a new region such as
//! `Germany` never fails an issue. Every value serialises as the issue writes it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares an open vocabulary: known spellings map to variants, anything else to `Other`.
macro_rules! open_vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* $variant, )+
            /// A value the newsletter used that is not in the known list, kept as written.
            Other(String),
        }

        impl $name {
            /// Every known value, in declaration order.
            pub const KNOWN: &'static [$name] = &[ $( $name::$variant ),+ ];

            /// The value as the issue writes it.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $text, )+
                    $name::Other(text) => text,
                }
            }

            /// The known value spelled `text` (exactly, or ignoring case), if there is one.
            pub fn known(text: &str) -> Option<$name> {
                match text {
                    $( $text => Some($name::$variant), )+
                    _ => {
                        $( if text.eq_ignore_ascii_case($text) { return Some($name::$variant); } )+
                        None
                    }
                }
            }

            /// Whether this is one of the known values.
            pub fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }

            /// A lowercase, hyphenated form for ids and URLs: `Finance & Banking` → `finance-banking`.
            pub fn slug(&self) -> String {
                crate::id::slug(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(text: &str) -> Self {
                $name::known(text).unwrap_or_else(|| $name::Other(text.to_string()))
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                Ok($name::from(text))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                Ok($name::from(text.as_str()))
            }
        }
    };
}

open_vocabulary! {
    /// An industry sector: a tag on a top story and the subject of a sector brief.
    Sector {
        /// `Tech`
        Tech => "Tech",
        /// `Healthcare`
        Healthcare => "Healthcare",
        /// `Finance & Banking`
        FinanceBanking => "Finance & Banking",
        /// `Manufacturing`
        Manufacturing => "Manufacturing",
        /// `Education & EdTech`
        EducationEdTech => "Education & EdTech",
        /// `Energy`
        Energy => "Energy",
    }
}

open_vocabulary! {
    /// A region: a tag on a top story and the subject of a regional watch.
    Region {
        /// `Global`
        Global => "Global",
        /// `US`
        Us => "US",
        /// `UK`
        Uk => "UK",
        /// `EU`
        Eu => "EU",
        /// `Europe`
        Europe => "Europe",
        /// `Japan`
        Japan => "Japan",
        /// `South Korea`
        SouthKorea => "South Korea",
        /// `India`
        India => "India",
        /// `China`
        China => "China",
        /// `Taiwan`
        Taiwan => "Taiwan",
        /// `Singapore`
        Singapore => "Singapore",
        /// `Southeast Asia`
        SoutheastAsia => "Southeast Asia",
        /// `Australia`
        Australia => "Australia",
        /// `Germany`
        Germany => "Germany",
        /// `France`
        France => "France",
        /// `Canada`
        Canada => "Canada",
        /// `Israel`
        Israel => "Israel",
        /// `UAE`
        Uae => "UAE",
        /// `Saudi Arabia`
        SaudiArabia => "Saudi Arabia",
        /// `Middle East`
        MiddleEast => "Middle East",
        /// `Africa`
        Africa => "Africa",
        /// `Brazil`
        Brazil => "Brazil",
        /// `Latin America`
        LatinAmerica => "Latin America",
    }
}

open_vocabulary! {
    /// What a resource is. Any single capitalised word is accepted.
    ResourceKind {
        /// `Tool`
        Tool => "Tool",
        /// `Article`
        Article => "Article",
        /// `Paper`
        Paper => "Paper",
        /// `Course`
        Course => "Course",
        /// `Video`
        Video => "Video",
        /// `Podcast`
        Podcast => "Podcast",
        /// `Dataset`
        Dataset => "Dataset",
        /// `Book`
        Book => "Book",
        /// `Tutorial`
        Tutorial => "Tutorial",
    }
}

open_vocabulary! {
    /// Where a sector or regional story comes from (`Source: TechCrunch`).
    Source {
        /// `TechCrunch`
        TechCrunch => "TechCrunch",
        /// `Hugging Face Blog`
        HuggingFaceBlog => "Hugging Face Blog",
        /// `Inc42`
        Inc42 => "Inc42",
        /// `The Verge`
        TheVerge => "The Verge",
        /// `Reuters`
        Reuters => "Reuters",
        /// `Bloomberg`
        Bloomberg => "Bloomberg",
        /// `VentureBeat`
        VentureBeat => "VentureBeat",
        /// `Wired`
        Wired => "Wired",
        /// `MIT Technology Review`
        MitTechnologyReview => "MIT Technology Review",
        /// `Financial Times`
        FinancialTimes => "Financial Times",
    }
}

/// A skill level. Closed: `All` means the resource or path suits every level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Level {
    /// `Beginner`
    Beginner,
    /// `Intermediate`
    Intermediate,
    /// `Advanced`
    Advanced,
    /// `All`: suits every level.
    All,
}

impl Level {
    /// Every level, in order of skill (`All` last).
    pub const ALL: [Level; 4] = [
        Level::Beginner,
        Level::Intermediate,
        Level::Advanced,
        Level::All,
    ];

    /// The level as the issue writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "Beginner",
            Level::Intermediate => "Intermediate",
            Level::Advanced => "Advanced",
            Level::All => "All",
        }
    }

    /// The level spelled `text`, ignoring case.
    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL
            .into_iter()
            .find(|level| level.as_str().eq_ignore_ascii_case(text))
    }

    /// A lowercase form for ids and URLs.
    pub fn slug(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
            Level::All => "all",
        }
    }

    /// Whether material of this level suits a reader at `reader` (`All` suits everyone).
    pub fn suits(self, reader: Level) -> bool {
        self == Level::All || reader == Level::All || self == reader
    }

    /// The next level up, if there is one.
    pub fn next(self) -> Option<Level> {
        match self {
            Level::Beginner => Some(Level::Intermediate),
            Level::Intermediate => Some(Level::Advanced),
            Level::Advanced | Level::All => None,
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Level {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Level::parse(text).ok_or_else(|| {
            format!("unknown level {text:?}: expected beginner, intermediate, advanced or all")
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_round_trip_through_text() {
        for sector in Sector::KNOWN {
            assert_eq!(&Sector::from(sector.as_str()), sector);
        }
        for region in Region::KNOWN {
            assert_eq!(&Region::from(region.as_str()), region);
        }
    }

    #[test]
    fn unknown_values_are_kept_as_written() {
        assert_eq!(Region::from("Atlantis"), Region::Other("Atlantis".into()));
        assert_eq!(Region::from("Atlantis").as_str(), "Atlantis");
        assert_eq!(
            serde_json::to_string(&Sector::FinanceBanking).unwrap(),
            "\"Finance & Banking\""
        );
    }

    #[test]
    fn slugs_are_url_safe() {
        assert_eq!(Sector::FinanceBanking.slug(), "finance-banking");
        assert_eq!(Sector::EducationEdTech.slug(), "education-edtech");
        assert_eq!(Region::SouthKorea.slug(), "south-korea");
    }

    #[test]
    fn level_suits_its_own_and_all() {
        assert!(Level::All.suits(Level::Beginner));
        assert!(Level::Beginner.suits(Level::Beginner));
        assert!(!Level::Advanced.suits(Level::Beginner));
        assert_eq!("advanced".parse::<Level>(), Ok(Level::Advanced));
        assert!("expert".parse::<Level>().is_err());
    }
}
